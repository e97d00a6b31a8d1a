package io.jdrbd.node.control;

import java.util.Locale;

/**
 * {@code drbdsetup status [--verbose] [--statistics]} text, field by field in drbdsetup's order and
 * with its conditions (which field shows when), wrapped like drbdsetup's {@code wrap_printf} does when
 * standard output is not a terminal: at 80 columns, continuation lines indented per object.
 */
public final class StatusText {

    private static final int COLUMNS = 80;

    private final boolean verbose;
    private final boolean statistics;
    private final StringBuilder out = new StringBuilder();
    /** The output column as drbdsetup counts it (one less than the true column after an indent: its quirk). */
    private int column;

    private StatusText(boolean verbose, boolean statistics) {
        this.verbose = verbose;
        this.statistics = statistics;
    }

    /** The status of {@code status}, ending with the empty line drbdsetup prints after each resource. */
    public static String render(ResourceStatus status, boolean verbose, boolean statistics) {
        StatusText text = new StatusText(verbose, statistics);
        text.resource(status);
        text.device(status.device());
        for (ResourceStatus.Peer peer : status.peers()) {
            text.connection(status, peer);
        }
        text.print(0, "\n");
        return text.out.toString();
    }

    private void resource(ResourceStatus status) {
        print(0, status.name());
        if (verbose) {
            print(4, " node-id:" + status.nodeId());
        }
        print(4, " role:" + status.role());
        if (verbose) {
            print(4, " suspended:no");
            print(4, " force-io-failures:no");
        }
        if (statistics && verbose) {
            print(4, "\n");
            print(4, " write-ordering:" + status.writeOrdering());
        }
        print(0, "\n");
    }

    private void device(ResourceStatus.Device device) {
        int indent = 2;
        if (verbose) {
            print(indent, "volume:" + device.volume());
            indent = 6;
            print(indent, " minor:" + device.minor());
        }
        print(indent, " disk:" + device.disk());
        if (verbose) {
            print(indent, " backing_dev:" + (device.backingDev() == null ? "none" : device.backingDev()));
        }
        if (verbose || !device.quorum()) {
            print(indent, " quorum:" + yesNo(device.quorum()));
        }
        print(indent, " open:" + yesNo(device.open()));
        indent = 6;
        if (statistics) {
            print(indent, "\n");
            if (verbose) {
                print(indent, " size:" + device.sizeKib());
            }
            print(indent, " read:" + device.readKib());
            print(indent, " written:" + device.writtenKib());
            if (verbose) {
                print(indent, " al-writes:" + device.alWrites());
                print(indent, " bm-writes:" + device.bmWrites());
                print(indent, " upper-pending:" + device.upperPending());
                print(indent, " lower-pending:" + device.lowerPending());
            }
        }
        print(indent, "\n");
    }

    private void connection(ResourceStatus status, ResourceStatus.Peer peer) {
        print(2, peer.name());
        if (verbose) {
            print(6, " node-id:" + peer.nodeId());
        }
        if (verbose || !peer.connected()) {
            print(6, " connection:" + peer.connection());
        }
        if (verbose || peer.connected()) {
            print(6, " role:" + peer.role());
            if (verbose) {
                // jdrbd's replication links are plain TCP
                print(6, " tls:no");
            }
        }
        print(0, "\n");
        if (verbose || statistics || peer.connected()) {
            peerDevice(status, peer);
        }
    }

    private void peerDevice(ResourceStatus status, ResourceStatus.Peer peer) {
        int indent = 4;
        if (verbose) {
            print(indent, "volume:" + status.device().volume());
            indent = 8;
        }
        boolean off = peer.replication().equals("Off");
        if (verbose || !(off || peer.replication().equals("Established"))) {
            print(indent, " replication:" + peer.replication());
            indent = 8;
        }
        if (verbose || statistics || !off || !peer.peerDisk().equals("DUnknown")) {
            print(indent, " peer-disk:" + peer.peerDisk());
            if (peer.peerDisk().equals("Diskless")) {
                print(indent, " peer-client:no");
            }
            indent = 8;
            if (peer.resyncing()) {
                print(indent, String.format(Locale.ROOT, " done:%.2f", status.percentInSync(peer)));
            }
            if (verbose) {
                print(indent, " resync-suspended:no");
            }
            if (statistics) {
                print(indent, "\n");
                print(indent, " received:" + peer.receivedKib());
                print(indent, " sent:" + peer.sentKib());
                if (verbose || peer.outOfSyncKib() != 0) {
                    print(indent, " out-of-sync:" + peer.outOfSyncKib());
                }
            }
        }
        print(0, "\n");
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** drbdsetup's {@code wrap_printf(indent, text)}. */
    private void print(int indent, String text) {
        int at = 0;
        while (at < text.length() && text.charAt(at) == '\n') {
            out.append('\n');
            column = 0;
            at++;
        }
        String rest = text.substring(at);
        if (rest.isEmpty()) {
            return;
        }
        int length = rest.length();
        if (column > 0 && column + length > COLUMNS) {
            out.append('\n');
            column = 0;
        }
        if (column == 0) {
            rest = rest.stripLeading();
            out.append(" ".repeat(indent));
            column = -1;
        }
        out.append(rest);
        column += rest.length();
        if (rest.endsWith("\n")) {
            column = 0;
        }
    }
}
