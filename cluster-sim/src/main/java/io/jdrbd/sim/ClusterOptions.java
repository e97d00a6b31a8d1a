package io.jdrbd.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a simulated cluster: how many nodes, which replication protocol, how large the
 * device is, and how the network and each node's disks behave. Scenarios build it by hand; the
 * randomized run draws it from the seed.
 *
 * @param seed            the master seed; every random stream of the run derives from it
 * @param nodeCount       nodes, with node ids 0..nodeCount-1
 * @param protocol        'A', 'B' or 'C'
 * @param deviceBlocks    device size in 4 KiB blocks
 * @param network         network behaviour
 * @param disks           data-disk behaviour per node
 * @param maxEvents       scheduler event budget of the whole run
 */
public record ClusterOptions(long seed, int nodeCount, char protocol, int deviceBlocks, NetworkOptions network,
                             List<DiskOptions> disks, long maxEvents) {
    /** Bytes of DRBD meta-data area given to each node's meta disk (external meta-data). */
    public static final long META_DISK_BYTES = 8L << 20;

    public ClusterOptions {
        if (nodeCount < 1 || nodeCount > 8) {
            throw new IllegalArgumentException("nodeCount must be 1..8: " + nodeCount);
        }
        if (protocol != 'A' && protocol != 'B' && protocol != 'C') {
            throw new IllegalArgumentException("protocol must be A, B or C: " + protocol);
        }
        if (deviceBlocks < 1 || deviceBlocks > (1 << 18)) {
            throw new IllegalArgumentException("deviceBlocks must be 1..262144 (1 GiB): " + deviceBlocks);
        }
        if (disks.size() != nodeCount) {
            throw new IllegalArgumentException("one DiskOptions per node: " + disks.size() + " for " + nodeCount);
        }
        disks = List.copyOf(disks);
    }

    /** A quiet LAN cluster with SSDs: the default of scenario tests. */
    public static ClusterOptions of(long seed, int nodeCount, char protocol) {
        List<DiskOptions> disks = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            disks.add(DiskOptions.ssd());
        }
        return new ClusterOptions(seed, nodeCount, protocol, 256, NetworkOptions.lan(), disks, 50_000_000L);
    }

    public long deviceBytes() {
        return (long) deviceBlocks * BlockTag.BLOCK_BYTES;
    }

    public ClusterOptions withNetwork(NetworkOptions value) {
        return new ClusterOptions(seed, nodeCount, protocol, deviceBlocks, value, disks, maxEvents);
    }

    public ClusterOptions withDisks(List<DiskOptions> value) {
        return new ClusterOptions(seed, nodeCount, protocol, deviceBlocks, network, value, maxEvents);
    }

    public ClusterOptions withDeviceBlocks(int value) {
        return new ClusterOptions(seed, nodeCount, protocol, value, network, disks, maxEvents);
    }

    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("seed=" + seed + " nodes=" + nodeCount + " protocol=" + protocol + " device=" + deviceBlocks
                + "x4KiB maxEvents=" + maxEvents);
        lines.add("network: " + network);
        for (int i = 0; i < disks.size(); i++) {
            lines.add("disk of node " + i + ": " + disks.get(i));
        }
        return lines;
    }
}
