package io.jdrbd.sim;

/**
 * The simulator's speed: simulated seconds per wall-clock second for a two-node protocol C cluster
 * under a continuous write load ({@link Workload#steady()}: one 1-4 block write per millisecond on
 * average, up to 8 in flight), no faults. Wall time is read only to report the ratio; it never
 * influences the run.
 */
public final class SimSpeed {

    /** One measurement. */
    public record Result(long virtualNs, long wallNs, long acknowledgedWrites, long events) {
        public double simulatedSecondsPerWallSecond() {
            return wallNs == 0 ? 0 : (double) virtualNs / wallNs;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%.1f simulated s per wall s (%d ms simulated in %d ms, %d acknowledged writes, %d events)",
                    simulatedSecondsPerWallSecond(), virtualNs / 1_000_000, wallNs / 1_000_000, acknowledgedWrites,
                    events);
        }
    }

    private SimSpeed() {
    }

    public static Result measure(ReplicaNode.Factory factory, long seed, long virtualNs) {
        ClusterOptions options = ClusterOptions.of(seed, 2, 'C');
        options = new ClusterOptions(seed, 2, 'C', options.deviceBlocks(), options.network(), options.disks(),
                Long.MAX_VALUE);
        SimCluster cluster = new SimCluster(options, factory);
        cluster.startNodes();
        cluster.awaitAllConnected(10_000_000_000L);
        cluster.promote(0);
        long virtualStart = cluster.nowNs();
        long eventsStart = cluster.scheduler().executedEvents();
        long wallStart = System.nanoTime();
        Workload.steady().start(cluster, virtualStart + virtualNs);
        cluster.runFor(virtualNs);
        long wall = System.nanoTime() - wallStart;
        long virtual = cluster.nowNs() - virtualStart;
        long events = cluster.scheduler().executedEvents() - eventsStart;
        cluster.awaitQuiet(10_000_000_000L);
        cluster.finish();
        return new Result(virtual, wall, cluster.history().acknowledgedCount(), events);
    }
}
