package io.jdrbd.sim;

/**
 * How the simulated network behaves; drawn from the seed by the randomized run, fixed in scenarios.
 *
 * @param latencyMinNs          one-way latency lower bound
 * @param latencyTypicalNs      one-way latency upper bound in the common case
 * @param latencyTailPerMillion probability of a tail latency per chunk
 * @param latencyTailNs         tail latency upper bound
 * @param bytesPerSecond        bandwidth of each directed link (serialisation delay)
 * @param splitPerMillion       probability that a send is split into several chunks
 * @param maxChunks             most chunks one send is split into
 * @param connectTimeoutNs      a connect through a partition fails after this long
 */
public record NetworkOptions(long latencyMinNs, long latencyTypicalNs, int latencyTailPerMillion,
                             long latencyTailNs, long bytesPerSecond, int splitPerMillion, int maxChunks,
                             long connectTimeoutNs) {
    public NetworkOptions {
        if (latencyMinNs < 0 || latencyTypicalNs < latencyMinNs || latencyTailNs < latencyTypicalNs) {
            throw new IllegalArgumentException("latencies must satisfy 0 <= min <= typical <= tail: "
                    + latencyMinNs + ", " + latencyTypicalNs + ", " + latencyTailNs);
        }
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
        }
        if (maxChunks < 1) {
            throw new IllegalArgumentException("maxChunks must be at least 1: " + maxChunks);
        }
        if (connectTimeoutNs <= 0) {
            throw new IllegalArgumentException("connectTimeoutNs must be positive: " + connectTimeoutNs);
        }
    }

    /** A LAN: 50-200 µs one way, rare 5 ms tail, 1 GB/s, half the sends split. */
    public static NetworkOptions lan() {
        return new NetworkOptions(50_000, 200_000, 1_000, 5_000_000, 1_000_000_000L, 500_000, 6,
                1_000_000_000L);
    }

    /** Draws options from the run's master generator. */
    public static NetworkOptions random(SimRandom random) {
        long min = random.between(10_000, 200_000);
        long typical = min + random.between(0, 2_000_000);
        long tail = typical + random.between(0, 50_000_000);
        long bandwidth = random.between(10_000_000L, 2_000_000_000L);
        return new NetworkOptions(min, typical, random.nextInt(20_000), tail, bandwidth,
                random.nextInt(1_000_001), 1 + random.nextInt(16), 1_000_000_000L);
    }

    @Override
    public String toString() {
        return "latency=" + latencyMinNs / 1000 + ".." + latencyTypicalNs / 1000 + "us (tail "
                + latencyTailPerMillion + "ppm up to " + latencyTailNs / 1000 + "us) bandwidth="
                + bytesPerSecond / 1_000_000 + "MB/s split=" + splitPerMillion + "ppm maxChunks=" + maxChunks;
    }
}
