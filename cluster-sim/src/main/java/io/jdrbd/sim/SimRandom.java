package io.jdrbd.sim;

/**
 * The simulator's only source of randomness: xoshiro256** seeded through splitmix64, integer-only
 * (no floating point, so a run is the same on every JVM and platform).
 *
 * <p>A run starts from one master {@code SimRandom(seed)}; the master draws every option of the run
 * and then one sub-seed per component ({@link #fork}), so that a component drawing one more number
 * does not shift the streams of all the others.
 */
public final class SimRandom {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public SimRandom(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = splitmix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = splitmix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = splitmix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = splitmix(x);
    }

    /** The splitmix64 finaliser: a good 64-bit mixing function, also used to derive sub-seeds. */
    public static long splitmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A new independent generator whose seed is drawn from this one (one per component). */
    public SimRandom fork() {
        return new SimRandom(nextLong());
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in {@code [0, bound)}, unbiased (Lemire's multiply-and-reject, integer only). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long r = nextLong() >>> 1;
        long m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        long u = r;
        while (u - (r = u % bound) + m < 0) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /** Uniform in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in {@code [min, max]} (inclusive). */
    public long between(long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException("max < min: " + min + ".." + max);
        }
        return min + nextLong(max - min + 1);
    }

    /** True with probability {@code perMillion / 1_000_000}. */
    public boolean chance(int perMillion) {
        if (perMillion <= 0) {
            return false;
        }
        return nextLong(1_000_000) < perMillion;
    }

    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /**
     * A latency with a heavy tail, integer only: uniform in {@code [minNs, typicalNs]} most of the
     * time, and with probability {@code tailPerMillion} uniform up to {@code tailNs}.
     */
    public long latencyNs(long minNs, long typicalNs, int tailPerMillion, long tailNs) {
        if (chance(tailPerMillion)) {
            return between(typicalNs, Math.max(typicalNs, tailNs));
        }
        return between(minNs, Math.max(minNs, typicalNs));
    }

    /** Picks one element index by the given non-negative weights. */
    public int weighted(int... weights) {
        long total = 0;
        for (int w : weights) {
            total += w;
        }
        long pick = nextLong(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        throw new AssertionError("weights exhausted");
    }
}
