package io.jdrbd.replication.wire;

/**
 * Read access to a bitmap in transfer units (one bit per 4 KiB, 1 = out of sync), as the compressed
 * bitmap encoder needs it. Bits at and beyond {@link #bitCount()} do not exist.
 */
public interface BitmapView {

    /** Number of bits in the bitmap. */
    long bitCount();

    boolean get(long bit);

    /** The first set bit at or after {@code from}, or {@link #bitCount()} if there is none. */
    long nextSetBit(long from);

    /** The first clear bit at or after {@code from}, or {@link #bitCount()} if there is none. */
    long nextClearBit(long from);

    /** A view of little-endian-ordered words: bit i is bit (i % 64) of {@code words[i / 64]}. */
    static BitmapView ofWords(long[] words, long bitCount) {
        if (bitCount < 0 || bitCount > 64L * words.length) {
            throw new IllegalArgumentException(bitCount + " bits do not fit " + words.length + " words");
        }
        return new BitmapView() {
            @Override
            public long bitCount() {
                return bitCount;
            }

            @Override
            public boolean get(long bit) {
                return (words[(int) (bit >>> 6)] & (1L << bit)) != 0;
            }

            @Override
            public long nextSetBit(long from) {
                return scan(from, 0L);
            }

            @Override
            public long nextClearBit(long from) {
                return scan(from, -1L);
            }

            /** First bit at or after {@code from} that differs from the bits of {@code skip}. */
            private long scan(long from, long skip) {
                if (from >= bitCount) {
                    return bitCount;
                }
                int index = (int) (from >>> 6);
                long word = (words[index] ^ skip) & (-1L << from);
                while (word == 0) {
                    index++;
                    if ((long) index * 64 >= bitCount) {
                        return bitCount;
                    }
                    word = words[index] ^ skip;
                }
                return Math.min(bitCount, (long) index * 64 + Long.numberOfTrailingZeros(word));
            }
        };
    }
}
