package io.jdrbd.replication.engine;

import java.util.Arrays;

/**
 * The engine's working copy of the generation UUIDs (current, one bitmap UUID per node id, history) and
 * the superblock flags, with DRBD's rules for rotating them. Snapshots go to the driver as
 * {@link MetadataRecord}.
 */
final class GenerationUuids {

    /** History slots kept, as meta-data v09. */
    static final int HISTORY_SLOTS = 32;
    /** Bit 0 of a UUID: set while this node is Primary; ignored in comparisons. */
    static final long UUID_PRIMARY = 1L;

    private long current;
    private final long[] bitmap = new long[MetadataRecord.MAX_NODES];
    private final long[] history = new long[HISTORY_SLOTS];
    private int flags;
    /** MDF_CRASHED_PRIMARY was set at attach: this node was Primary and did not demote cleanly. */
    private final boolean crashedPrimary;

    GenerationUuids(MetadataRecord record) {
        crashedPrimary = record.has(MetadataRecord.MDF_CRASHED_PRIMARY);
        current = record.currentUuid();
        System.arraycopy(record.bitmapUuids(), 0, bitmap, 0, bitmap.length);
        long[] source = record.historyUuids();
        System.arraycopy(source, 0, history, 0, Math.min(source.length, HISTORY_SLOTS));
        flags = record.flags();
    }

    /** Advertised as UUID_FLAG_CRASHED_PRIMARY; it makes the handshake ask for a resync. */
    boolean crashedPrimary() {
        return crashedPrimary;
    }

    long current() {
        return current;
    }

    long bitmap(int nodeId) {
        return bitmap[nodeId];
    }

    long[] history() {
        return history.clone();
    }

    int flags() {
        return flags;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    void setFlag(int flag, boolean value) {
        flags = value ? flags | flag : flags & ~flag;
    }

    /** True for fresh meta-data (UUID_JUST_CREATED, or 0 which DRBD treats the same). */
    boolean justCreated() {
        long masked = current & ~UUID_PRIMARY;
        return masked == MetadataRecord.UUID_JUST_CREATED || masked == 0;
    }

    /** Sets or clears the "was Primary" bit of the current UUID. */
    void markPrimary(boolean primary) {
        current = primary ? current | UUID_PRIMARY : current & ~UUID_PRIMARY;
    }

    /**
     * Starts a new data generation: the old current goes into the bitmap slot of every node in
     * {@code trackingNodes} whose bitmap UUID is 0 (they now diverge), the rest into history.
     */
    void newCurrent(long fresh, long trackingNodes, boolean primary) {
        long old = current & ~UUID_PRIMARY;
        boolean parked = false;
        for (int node = 0; node < bitmap.length; node++) {
            if ((trackingNodes & (1L << node)) != 0 && bitmap[node] == 0) {
                bitmap[node] = old;
                parked = true;
            }
        }
        if (!parked) {
            pushHistory(old);
        }
        current = (fresh & ~UUID_PRIMARY) | (primary ? UUID_PRIMARY : 0);
    }

    /** {@code new-current-uuid --clear-bitmap}: every bitmap UUID to history and zero, then a new current. */
    void newCurrentClearingBitmaps(long fresh, boolean primary) {
        for (int node = 0; node < bitmap.length; node++) {
            if (bitmap[node] != 0) {
                pushHistory(bitmap[node]);
                bitmap[node] = 0;
            }
        }
        if (!justCreated()) {
            pushHistory(current & ~UUID_PRIMARY);
        }
        current = (fresh & ~UUID_PRIMARY) | (primary ? UUID_PRIMARY : 0);
    }

    /** Adopts a peer's current UUID (skip-initial-sync of a just-created node). */
    void adoptCurrent(long peerCurrent) {
        if (!justCreated()) {
            pushHistory(current & ~UUID_PRIMARY);
        }
        current = peerCurrent & ~UUID_PRIMARY;
    }

    private void pushHistory(long uuid) {
        if (uuid == 0 || uuid == MetadataRecord.UUID_JUST_CREATED || uuid == (current & ~UUID_PRIMARY)) {
            return;
        }
        for (long held : history) {
            if (held == uuid) {
                return;
            }
        }
        System.arraycopy(history, 0, history, 1, history.length - 1);
        history[0] = uuid;
    }

    boolean inHistory(long uuid) {
        long masked = uuid & ~UUID_PRIMARY;
        for (long held : history) {
            if (held != 0 && held == masked) {
                return true;
            }
        }
        return false;
    }

    MetadataRecord snapshot() {
        int used = 0;
        while (used < history.length && history[used] != 0) {
            used++;
        }
        return new MetadataRecord(current, bitmap.clone(), Arrays.copyOf(history, used), flags);
    }
}
