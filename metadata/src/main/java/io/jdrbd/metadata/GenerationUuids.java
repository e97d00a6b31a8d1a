package io.jdrbd.metadata;

import java.util.Arrays;

/**
 * The generation identifiers of one device (drbd-semantics.md §3, drbd-metadata.md §5): the current
 * UUID, per peer node (indexed by node id 0..31) a bitmap UUID and its dagtag, and 32 history UUIDs,
 * youngest first. Immutable: every operation returns a new value, so the engine can keep the
 * on-disk and the in-memory state apart and compare them. No I/O, no randomness: new UUIDs are
 * passed in by the caller (from its seeded entropy source).
 */
public final class GenerationUuids {
    public static final int NODES = 32;
    public static final int HISTORY = 32;
    /** Current UUID of freshly created meta-data. */
    public static final long UUID_JUST_CREATED = 4;
    /** Bit 0 of a current UUID marks a Primary and is ignored in comparisons. */
    public static final long UUID_PRIMARY = 1;

    private static final GenerationUuids JUST_CREATED =
            new GenerationUuids(UUID_JUST_CREATED, new long[NODES], new long[NODES], new long[HISTORY]);

    private final long current;
    private final long[] bitmapUuids;
    private final long[] bitmapDagtags;
    private final long[] history;

    private GenerationUuids(long current, long[] bitmapUuids, long[] bitmapDagtags, long[] history) {
        this.current = current;
        this.bitmapUuids = bitmapUuids;
        this.bitmapDagtags = bitmapDagtags;
        this.history = history;
    }

    /** The identifiers of fresh meta-data: current = UUID_JUST_CREATED, everything else 0. */
    public static GenerationUuids justCreated() {
        return JUST_CREATED;
    }

    /** From explicit arrays (copied); each must have 32 entries. */
    public static GenerationUuids of(long current, long[] bitmapUuids, long[] bitmapDagtags, long[] history) {
        checkLength("bitmapUuids", bitmapUuids, NODES);
        checkLength("bitmapDagtags", bitmapDagtags, NODES);
        checkLength("history", history, HISTORY);
        return new GenerationUuids(current, bitmapUuids.clone(), bitmapDagtags.clone(), history.clone());
    }

    private static void checkLength(String name, long[] array, int expected) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " needs " + expected + " entries, got " + array.length);
        }
    }

    /** Equal as generations: the UUID_PRIMARY bit does not count. */
    public static boolean sameGeneration(long a, long b) {
        return (a & ~UUID_PRIMARY) == (b & ~UUID_PRIMARY);
    }

    public long current() {
        return current;
    }

    public long bitmapUuid(int nodeId) {
        return bitmapUuids[nodeId];
    }

    public long bitmapDagtag(int nodeId) {
        return bitmapDagtags[nodeId];
    }

    public long history(int index) {
        return history[index];
    }

    public long[] historyArray() {
        return history.clone();
    }

    public long[] bitmapUuidArray() {
        return bitmapUuids.clone();
    }

    public long[] bitmapDagtagArray() {
        return bitmapDagtags.clone();
    }

    public boolean isJustCreated() {
        long generation = current & ~UUID_PRIMARY;
        return generation == UUID_JUST_CREATED || generation == 0;
    }

    /** Whether {@code uuid} (primary bit ignored) is one of the history UUIDs. */
    public boolean historyContains(long uuid) {
        for (long entry : history) {
            if (entry != 0 && sameGeneration(entry, uuid)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any peer's bitmap UUID equals {@code uuid} (primary bit ignored). */
    public boolean isBitmapUuid(long uuid) {
        for (long entry : bitmapUuids) {
            if (entry != 0 && sameGeneration(entry, uuid)) {
                return true;
            }
        }
        return false;
    }

    public GenerationUuids withCurrent(long uuid) {
        return new GenerationUuids(uuid, bitmapUuids, bitmapDagtags, history);
    }

    public GenerationUuids withBitmapUuid(int nodeId, long uuid, long dagtag) {
        long[] uuids = bitmapUuids.clone();
        long[] dagtags = bitmapDagtags.clone();
        uuids[nodeId] = uuid;
        dagtags[nodeId] = dagtag;
        return new GenerationUuids(current, uuids, dagtags, history);
    }

    /**
     * A new data generation (promotion while peers are absent, primary --force, disconnect of a
     * Primary): the old current becomes the bitmap UUID of every peer in {@code trackingPeers}
     * (bit = node id) whose bitmap UUID is 0 or already the old current, with {@code dagtag};
     * then {@code newUuid} becomes current.
     */
    public GenerationUuids newCurrent(long newUuid, long trackingPeers, long dagtag) {
        long[] uuids = bitmapUuids.clone();
        long[] dagtags = bitmapDagtags.clone();
        for (int node = 0; node < NODES; node++) {
            if ((trackingPeers & (1L << node)) == 0) {
                continue;
            }
            if (uuids[node] == 0 || sameGeneration(uuids[node], current)) {
                uuids[node] = current & ~UUID_PRIMARY;
                dagtags[node] = dagtag;
            }
        }
        return new GenerationUuids(newUuid, uuids, dagtags, history);
    }

    /**
     * Pushes {@code uuid} into the history (youngest first), unless it is 0, JUST_CREATED, the
     * current UUID, already in the history, or still held as a bitmap UUID (the first history
     * slot is filled even then).
     */
    public GenerationUuids pushHistory(long uuid) {
        long generation = uuid & ~UUID_PRIMARY;
        if (generation == 0 || generation == UUID_JUST_CREATED || sameGeneration(generation, current)
                || historyContains(generation)) {
            return this;
        }
        if (history[0] != 0 && isBitmapUuid(generation)) {
            return this;
        }
        long[] shifted = new long[HISTORY];
        shifted[0] = generation;
        System.arraycopy(history, 0, shifted, 1, HISTORY - 1);
        return new GenerationUuids(current, bitmapUuids, bitmapDagtags, shifted);
    }

    /** The peer's differences are resolved: its bitmap UUID goes to the history and is zeroed. */
    public GenerationUuids clearBitmapUuid(int nodeId) {
        long old = bitmapUuids[nodeId];
        if (old == 0) {
            return this;
        }
        return withBitmapUuid(nodeId, 0, 0).pushHistory(old);
    }

    /** Resync start as target: the own current becomes the bitmap UUID of every peer in {@code peers}. */
    public GenerationUuids rotateCurrentIntoBitmaps(long peers, long dagtag) {
        return newCurrent(current, peers, dagtag);
    }

    /** Adopts a source's generation: the old current goes to the history, {@code sourceCurrent} becomes current. */
    public GenerationUuids adoptCurrent(long sourceCurrent) {
        long old = current;
        return withCurrent(sourceCurrent).pushHistory(old);
    }

    /** {@code new-current-uuid}: every bitmap UUID goes to the history and is zeroed. */
    public GenerationUuids retireAllBitmapUuids() {
        GenerationUuids result = this;
        for (int node = 0; node < NODES; node++) {
            result = result.clearBitmapUuid(node);
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof GenerationUuids)) {
            return false;
        }
        GenerationUuids that = (GenerationUuids) other;
        return current == that.current && Arrays.equals(bitmapUuids, that.bitmapUuids)
                && Arrays.equals(bitmapDagtags, that.bitmapDagtags) && Arrays.equals(history, that.history);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(current) * 31 + Arrays.hashCode(bitmapUuids) * 17 + Arrays.hashCode(history);
    }

    @Override
    public String toString() {
        return String.format("GenerationUuids[current=%016X, history0=%016X, history1=%016X]",
                current, history[0], history[1]);
    }
}
