package io.jdrbd.replication.engine;

/**
 * One peer's out-of-sync bitmap in memory: one bit per 4 KiB block, set when a write did not reach that
 * peer. Marking rounds outward to whole blocks (a partly written block is out of sync).
 */
final class OutOfSyncBitmap {

    static final int BLOCK_SHIFT = 12;

    private final long[] words;
    private final long bits;
    private long setBits;

    OutOfSyncBitmap(long deviceSizeBytes) {
        bits = (deviceSizeBytes + (1L << BLOCK_SHIFT) - 1) >>> BLOCK_SHIFT;
        long wordCount = (bits + 63) >>> 6;
        if (wordCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("device of " + deviceSizeBytes + " bytes is too large for a bitmap");
        }
        words = new long[(int) wordCount];
    }

    /** Marks every block touched by {@code [offsetBytes, offsetBytes + lengthBytes)}; returns newly set bits. */
    long markOutOfSync(long offsetBytes, long lengthBytes) {
        if (lengthBytes <= 0) {
            return 0;
        }
        long first = offsetBytes >>> BLOCK_SHIFT;
        long last = Math.min(bits - 1, (offsetBytes + lengthBytes - 1) >>> BLOCK_SHIFT);
        long added = 0;
        for (long bit = first; bit <= last; bit++) {
            int word = (int) (bit >>> 6);
            long mask = 1L << (bit & 63);
            if ((words[word] & mask) == 0) {
                words[word] |= mask;
                added++;
            }
        }
        setBits += added;
        return added;
    }

    boolean isOutOfSync(long bitIndex) {
        return (words[(int) (bitIndex >>> 6)] & (1L << (bitIndex & 63))) != 0;
    }

    /** Number of 4 KiB blocks marked out of sync. */
    long outOfSyncBlocks() {
        return setBits;
    }

    void clearAll() {
        java.util.Arrays.fill(words, 0);
        setBits = 0;
    }

    /** Recount from the words: the cheap counter must match (an invariant check). */
    long countSlow() {
        long count = 0;
        for (long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }
}
