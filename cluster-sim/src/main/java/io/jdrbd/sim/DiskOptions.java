package io.jdrbd.sim;

/**
 * How a simulated disk behaves; drawn from the seed by the randomized run, fixed in scenarios.
 *
 * @param latencyMinNs             fastest I/O completion
 * @param latencyTypicalNs         upper bound of the common case
 * @param latencyTailPerMillion    probability of a slow I/O
 * @param latencyTailNs            slowest I/O
 * @param flushLatencyNs           extra time a cache flush takes
 * @param volatileCache            completed writes sit in a volatile cache until a flush or FUA
 * @param survivePerMillion        at a power cut, probability that an unflushed page reaches the medium
 * @param tornPerMillion           at a power cut, probability that a surviving page is torn (some sectors old)
 * @param readErrorPerMillion      random EIO per read
 * @param writeErrorPerMillion     random EIO per write
 */
public record DiskOptions(long latencyMinNs, long latencyTypicalNs, int latencyTailPerMillion, long latencyTailNs,
                          long flushLatencyNs, boolean volatileCache, int survivePerMillion, int tornPerMillion,
                          int readErrorPerMillion, int writeErrorPerMillion) {
    public DiskOptions {
        if (latencyMinNs < 0 || latencyTypicalNs < latencyMinNs || latencyTailNs < latencyTypicalNs) {
            throw new IllegalArgumentException("latencies must satisfy 0 <= min <= typical <= tail: "
                    + latencyMinNs + ", " + latencyTypicalNs + ", " + latencyTailNs);
        }
        if (flushLatencyNs < 0) {
            throw new IllegalArgumentException("flushLatencyNs < 0: " + flushLatencyNs);
        }
    }

    /** An SSD-like disk: 20-100 µs, rare 10 ms stalls, volatile cache, no random errors. */
    public static DiskOptions ssd() {
        return new DiskOptions(20_000, 100_000, 500, 10_000_000, 200_000, true, 500_000, 100_000, 0, 0);
    }

    /** Draws options from the run's master generator (random errors stay off: they are faults with a budget). */
    public static DiskOptions random(SimRandom random) {
        long min = random.between(5_000, 200_000);
        long typical = min + random.between(0, 5_000_000);
        long tail = typical + random.between(0, 100_000_000);
        return new DiskOptions(min, typical, random.nextInt(10_000), tail, random.between(0, 5_000_000),
                random.nextInt(4) != 0, random.nextInt(1_000_001), random.nextInt(1_000_001), 0, 0);
    }

    public DiskOptions withErrors(int readPerMillion, int writePerMillion) {
        return new DiskOptions(latencyMinNs, latencyTypicalNs, latencyTailPerMillion, latencyTailNs, flushLatencyNs,
                volatileCache, survivePerMillion, tornPerMillion, readPerMillion, writePerMillion);
    }

    @Override
    public String toString() {
        return "latency=" + latencyMinNs / 1000 + ".." + latencyTypicalNs / 1000 + "us (tail " + latencyTailPerMillion
                + "ppm up to " + latencyTailNs / 1000 + "us) flush=" + flushLatencyNs / 1000 + "us volatileCache="
                + volatileCache + " survive=" + survivePerMillion + "ppm torn=" + tornPerMillion + "ppm";
    }
}
