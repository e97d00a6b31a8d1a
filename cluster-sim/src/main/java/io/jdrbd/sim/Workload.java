package io.jdrbd.sim;

/**
 * A client that keeps writing (and sometimes reading) tagged blocks on the current Primary: writes
 * arrive at seeded intervals, up to {@code inFlightMax} at once, half of them in a small hot region so
 * that blocks are overwritten often (which is what makes lost or reordered writes visible).
 *
 * @param meanIntervalNs  mean virtual time between two client operations
 * @param inFlightMax     most client writes outstanding at once
 * @param blocksPerWriteMax largest write in 4 KiB blocks
 * @param readPerMillion  share of operations that are reads
 * @param hotBlocks       size of the hot region
 * @param overlapping     may a write overlap one still in flight (a raw block device's clients may do
 *                        that; file systems do not)
 */
public record Workload(long meanIntervalNs, int inFlightMax, int blocksPerWriteMax, int readPerMillion,
                       int hotBlocks, boolean overlapping) {

    public Workload {
        if (meanIntervalNs <= 0 || inFlightMax <= 0 || blocksPerWriteMax <= 0 || hotBlocks <= 0) {
            throw new IllegalArgumentException("workload values must be positive");
        }
    }

    /** Continuous writes: one every millisecond on average, up to 8 in flight, 1-4 blocks. */
    public static Workload steady() {
        return new Workload(1_000_000, 8, 4, 100_000, 16, false);
    }

    public static Workload random(SimRandom random) {
        return new Workload(random.between(50_000, 5_000_000), 1 + random.nextInt(32), 1 + random.nextInt(8),
                random.nextInt(300_000), 1 + random.nextInt(64), random.nextInt(4) == 0);
    }

    /** Starts issuing operations until virtual time {@code untilNs}. */
    public void start(SimCluster cluster, long untilNs) {
        schedule(cluster, untilNs);
    }

    private void schedule(SimCluster cluster, long untilNs) {
        SimRandom random = cluster.workloadRandom();
        long delay = random.between(0, 2 * meanIntervalNs);
        if (cluster.nowNs() + delay > untilNs) {
            return;
        }
        cluster.scheduler().after(delay, () -> {
            issueOne(cluster, random);
            schedule(cluster, untilNs);
        });
    }

    private void issueOne(SimCluster cluster, SimRandom random) {
        int primary = cluster.primary();
        if (primary < 0) {
            return;
        }
        int deviceBlocks = cluster.options().deviceBlocks();
        if (random.chance(readPerMillion)) {
            cluster.read(primary, random.nextInt(deviceBlocks));
            return;
        }
        if (cluster.pendingWriteCount() >= inFlightMax) {
            return;
        }
        int blocks = 1 + random.nextInt(Math.min(blocksPerWriteMax, deviceBlocks));
        int region = random.nextBoolean() ? Math.min(deviceBlocks, Math.max(hotBlocks, blocks)) : deviceBlocks;
        long first = random.nextInt(region - blocks + 1);
        if (!overlapping && cluster.overlapsPendingWrite(first, blocks)) {
            return;
        }
        cluster.write(primary, first, blocks);
    }

    @Override
    public String toString() {
        return "interval=" + meanIntervalNs / 1000 + "us inFlightMax=" + inFlightMax + " blocksPerWrite<="
                + blocksPerWriteMax + " reads=" + readPerMillion + "ppm hotBlocks=" + hotBlocks + " overlapping="
                + overlapping;
    }
}
