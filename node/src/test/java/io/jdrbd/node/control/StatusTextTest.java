package io.jdrbd.node.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * drbdsetup's status layouts, derived by hand from drbdsetup.c and wrap_printf.c (80 columns when
 * standard output is not a terminal, continuation lines indented per object).
 */
class StatusTextTest {

    private static ResourceStatus secondary(String backingDev, String replication, long outOfSyncKib) {
        ResourceStatus.Device device = new ResourceStatus.Device(0, 0, "UpToDate", backingDev, true, false, 1024, 8,
                16, 3, 1, 0, 0);
        ResourceStatus.Peer peer = new ResourceStatus.Peer("node0", 0, "Connected", "Primary", replication,
                "UpToDate", outOfSyncKib, 16, 0);
        return new ResourceStatus("r0", 1, "Secondary", false, 10102, "flush", device, List.of(peer));
    }

    @Test
    void plainStatusShowsOnlyWhatIsNotUsual() {
        assertThat(StatusText.render(secondary("/dev/vg/r0", "Established", 0), false, false)).isEqualTo(
                "r0 role:Secondary\n"
                + "  disk:UpToDate open:no\n"
                + "  node0 role:Primary\n"
                + "    peer-disk:UpToDate\n"
                + "\n");
    }

    @Test
    void verboseStatisticsPutsStatisticsOnTheirOwnIndentedLines() {
        assertThat(StatusText.render(secondary("/dev/vg/r0", "Established", 0), true, true)).isEqualTo(
                "r0 node-id:1 role:Secondary suspended:no force-io-failures:no\n"
                + "    write-ordering:flush\n"
                + "  volume:0 minor:0 disk:UpToDate backing_dev:/dev/vg/r0 quorum:yes open:no\n"
                + "      size:1024 read:8 written:16 al-writes:3 bm-writes:1 upper-pending:0\n"
                + "      lower-pending:0\n"
                + "  node0 node-id:0 connection:Connected role:Primary tls:no\n"
                + "    volume:0 replication:Established peer-disk:UpToDate resync-suspended:no\n"
                + "        received:16 sent:0 out-of-sync:0\n"
                + "\n");
    }

    @Test
    void aFieldThatWouldPassColumn80WrapsOntoAnIndentedLine() {
        String text = StatusText.render(secondary("/var/lib/jdrbd/images/cluster-one/node1.img", "Established", 0),
                true, false);
        assertThat(text).contains(
                "  volume:0 minor:0 disk:UpToDate\n"
                + "      backing_dev:/var/lib/jdrbd/images/cluster-one/node1.img quorum:yes open:no\n");
    }

    @Test
    void aResyncShowsReplicationStateAndDonePercentageEvenWhenPlain() {
        String text = StatusText.render(secondary("/dev/vg/r0", "SyncTarget", 256), false, false);
        assertThat(text).contains("    replication:SyncTarget peer-disk:UpToDate done:75.00\n");
    }

    @Test
    void disconnectedPeerShowsConnectionStateAndNoPeerDevice() {
        ResourceStatus status = secondary("/dev/vg/r0", "Off", 0);
        ResourceStatus.Peer gone = new ResourceStatus.Peer("node0", 0, "Connecting", "Unknown", "Off", "DUnknown", 0,
                0, 0);
        ResourceStatus connecting = new ResourceStatus(status.name(), status.nodeId(), status.role(), true, 10102,
                "flush", status.device(), List.of(gone));
        assertThat(StatusText.render(connecting, false, false)).isEqualTo(
                "r0 role:Secondary\n"
                + "  disk:UpToDate open:no\n"
                + "  node0 connection:Connecting\n"
                + "\n");
    }

    @Test
    void jsonKeepsDrbdsetupsKeysInOrderAndParses() throws Exception {
        String text = StatusJson.render(List.of(secondary("/dev/vg/r0", "Established", 0)));
        assertThat(text).startsWith("[\n{\n  \"name\": \"r0\",\n").endsWith("}\n]\n\n")
                .contains("      \"connection-state\": \"Connected\", \n");
        JsonNode resource = new ObjectMapper().readTree(text).get(0);
        assertThat(names(resource)).containsExactly("name", "node-id", "role", "suspended", "suspended-user",
                "suspended-no-data", "suspended-fencing", "suspended-quorum", "force-io-failures", "write-ordering",
                "devices", "connections");
        assertThat(names(resource.get("devices").get(0))).containsExactly("volume", "minor", "disk-state", "client",
                "open", "quorum", "size", "read", "written", "al-writes", "bm-writes", "upper-pending",
                "lower-pending");
        JsonNode connection = resource.get("connections").get(0);
        assertThat(names(connection)).containsExactly("peer-node-id", "name", "connection-state", "peer-role", "tls",
                "peer_devices");
        JsonNode peerDevice = connection.get("peer_devices").get(0);
        assertThat(names(peerDevice)).containsExactly("volume", "replication-state", "peer-disk-state", "peer-client",
                "resync-suspended", "received", "sent", "out-of-sync", "has-sync-details",
                "has-online-verify-details", "percent-in-sync");
        assertThat(peerDevice.get("received").asLong()).isEqualTo(16);
        assertThat(peerDevice.get("percent-in-sync").asDouble()).isEqualTo(100.0);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
