package io.jdrbd.replication.engine;

import io.jdrbd.metadata.Bitmap;

/**
 * One peer's view of the device's out-of-sync {@link Bitmap} (the meta-data module's structure, one slot
 * per peer): one bit per 4 KiB block, set when a write did not reach that peer. Marking rounds outward to
 * whole blocks (a partly written block is out of sync).
 */
final class OutOfSyncBitmap {

    static final int BLOCK_SHIFT = 12;

    private final Bitmap bitmap;
    private final int slot;

    OutOfSyncBitmap(Bitmap bitmap, int slot) {
        this.bitmap = bitmap;
        this.slot = slot;
    }

    /** Marks every block touched by {@code [offsetBytes, offsetBytes + lengthBytes)}; returns newly set bits. */
    long markOutOfSync(long offsetBytes, long lengthBytes) {
        if (lengthBytes <= 0) {
            return 0;
        }
        long first = offsetBytes >>> BLOCK_SHIFT;
        long end = Math.min(bitmap.bitCount(), ((offsetBytes + lengthBytes - 1) >>> BLOCK_SHIFT) + 1);
        return bitmap.setRange(slot, first, end);
    }

    boolean isOutOfSync(long bitIndex) {
        return bitmap.get(slot, bitIndex);
    }

    /** Number of 4 KiB blocks marked out of sync. */
    long outOfSyncBlocks() {
        return bitmap.count(slot);
    }

    void clearAll() {
        bitmap.clearRange(slot, 0, bitmap.bitCount());
    }

    /** Recount from the words: the cheap counter must match (an invariant check). */
    long countSlow() {
        return bitmap.recount(slot);
    }
}
