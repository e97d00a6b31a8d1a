package io.jdrbd.replication.engine;

/**
 * The engine's only source of randomness (new generation UUIDs, cram-hmac challenges, 2PC transaction
 * ids). Production passes a {@code SecureRandom}-backed source, the simulator a seeded PRNG, so a run
 * replays from its seed.
 */
public interface Entropy {

    long nextLong();

    /** Fills {@code bytes} completely. */
    default void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i += 8) {
            long value = nextLong();
            for (int j = 0; j < 8 && i + j < bytes.length; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
    }

    /**
     * A deterministic source from a seed (SplitMix64): for tests and the simulator. Not for production
     * challenges.
     */
    static Entropy seeded(long seed) {
        return new Entropy() {
            private long state = seed;

            @Override
            public long nextLong() {
                state += 0x9E3779B97F4A7C15L;
                long z = state;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                return z ^ (z >>> 31);
            }
        };
    }
}
