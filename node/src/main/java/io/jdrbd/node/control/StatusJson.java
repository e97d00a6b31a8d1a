package io.jdrbd.node.control;

import java.util.List;
import java.util.Locale;

/**
 * {@code drbdsetup status --json}: the same text drbdsetup prints (its keys, order, indentation and
 * spacing), so that both JSON parsers and scripts that grep the text work. Keys for values jdrbd does
 * not track (congested, pending, unacked, ap-in-flight, rs-in-flight, paths)
 * are left out rather than filled with made-up numbers.
 */
public final class StatusJson {

    private StatusJson() {
    }

    public static String render(List<ResourceStatus> resources) {
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < resources.size(); i++) {
            if (i > 0) {
                out.append(",\n");
            }
            resource(out, resources.get(i));
        }
        return out.append("]\n\n").toString();
    }

    private static void resource(StringBuilder out, ResourceStatus status) {
        out.append("{\n")
                .append("  \"name\": \"").append(status.name()).append("\",\n")
                .append("  \"node-id\": ").append(status.nodeId()).append(",\n")
                .append("  \"role\": \"").append(status.role()).append("\",\n")
                .append("  \"suspended\": false,\n")
                .append("  \"suspended-user\": false,\n")
                .append("  \"suspended-no-data\": false,\n")
                .append("  \"suspended-fencing\": false,\n")
                .append("  \"suspended-quorum\": false,\n")
                .append("  \"force-io-failures\": false,\n")
                .append("  \"write-ordering\": \"").append(status.writeOrdering()).append("\",\n")
                .append("  \"devices\": [\n");
        device(out, status.device());
        out.append(" ],\n  \"connections\": [\n");
        List<ResourceStatus.Peer> peers = status.peers();
        for (int i = 0; i < peers.size(); i++) {
            connection(out, status, peers.get(i));
            if (i + 1 < peers.size()) {
                out.append(",\n");
            }
        }
        out.append(" ]\n}\n");
    }

    private static void device(StringBuilder out, ResourceStatus.Device device) {
        out.append("    {\n")
                .append("      \"volume\": ").append(device.volume()).append(",\n")
                .append("      \"minor\": ").append(device.minor()).append(",\n")
                .append("      \"disk-state\": \"").append(device.disk()).append("\",\n")
                .append("      \"client\": false,\n")
                .append("      \"open\": ").append(device.open()).append(",\n")
                .append("      \"quorum\": ").append(device.quorum()).append(",\n")
                .append("      \"size\": ").append(device.sizeKib()).append(",\n")
                .append("      \"read\": ").append(device.readKib()).append(",\n")
                .append("      \"written\": ").append(device.writtenKib()).append(",\n")
                .append("      \"al-writes\": ").append(device.alWrites()).append(",\n")
                .append("      \"bm-writes\": ").append(device.bmWrites()).append(",\n")
                .append("      \"upper-pending\": ").append(device.upperPending()).append(",\n")
                .append("      \"lower-pending\": ").append(device.lowerPending()).append("\n")
                .append("    }");
    }

    private static void connection(StringBuilder out, ResourceStatus status, ResourceStatus.Peer peer) {
        out.append("    {\n")
                .append("      \"peer-node-id\": ").append(peer.nodeId()).append(",\n")
                .append("      \"name\": \"").append(peer.name()).append("\",\n")
                .append("      \"connection-state\": \"").append(peer.connection()).append("\", \n")
                .append("      \"peer-role\": \"").append(peer.role()).append("\",\n")
                .append("      \"tls\": false,\n")
                .append("      \"peer_devices\": [\n");
        boolean resyncing = peer.resyncing();
        out.append("        {\n")
                .append("          \"volume\": ").append(status.device().volume()).append(",\n")
                .append("          \"replication-state\": \"").append(peer.replication()).append("\",\n")
                .append("          \"peer-disk-state\": \"").append(peer.peerDisk()).append("\",\n")
                .append("          \"peer-client\": false,\n")
                .append("          \"resync-suspended\": \"no\",\n")
                .append("          \"received\": ").append(peer.receivedKib()).append(",\n")
                .append("          \"sent\": ").append(peer.sentKib()).append(",\n")
                .append("          \"out-of-sync\": ").append(peer.outOfSyncKib()).append(",\n")
                .append("          \"has-sync-details\": false,\n")
                .append("          \"has-online-verify-details\": false,\n")
                .append("          \"percent-in-sync\": ").append(percent(status.percentInSync(peer)))
                .append(resyncing ? ",\n" : "\n");
        if (resyncing) {
            out.append("          \"percent-resync-done\": ").append(percent(status.percentInSync(peer))).append('\n');
        }
        out.append("        }").append(" ]\n    }");
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
