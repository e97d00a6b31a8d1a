package io.jdrbd.replication.engine;

import java.util.Arrays;

/**
 * The part of the DRBD v09 superblock the engine changes: generation UUIDs and flags. The driver maps it
 * onto the on-disk superblock ({@code metadata} module) and writes it atomically.
 *
 * @param currentUuid the current data generation (bit 0 = was Primary when set)
 * @param bitmapUuids per node id (index 0..31), 0 = in sync with that node
 * @param historyUuids newest first
 * @param flags {@code MDF_*} bits ({@link #MDF_CONSISTENT}, ...)
 */
public record MetadataRecord(long currentUuid, long[] bitmapUuids, long[] historyUuids, int flags) {

    public static final int MDF_CONSISTENT = 0x001;
    public static final int MDF_PRIMARY_IND = 0x002;
    public static final int MDF_WAS_UP_TO_DATE = 0x010;
    public static final int MDF_CRASHED_PRIMARY = 0x040;

    /** UUID_JUST_CREATED: the current UUID of fresh meta-data. */
    public static final long UUID_JUST_CREATED = 4L;

    /** Node ids 0…31: one bitmap UUID slot each. */
    public static final int MAX_NODES = 32;

    public MetadataRecord {
        if (bitmapUuids.length != MAX_NODES) {
            throw new IllegalArgumentException("bitmapUuids needs " + MAX_NODES + " slots, got " + bitmapUuids.length);
        }
        bitmapUuids = bitmapUuids.clone();
        historyUuids = historyUuids.clone();
    }

    /** Fresh meta-data as {@code create-md} leaves it: JUST_CREATED, Inconsistent. */
    public static MetadataRecord fresh() {
        return new MetadataRecord(UUID_JUST_CREATED, new long[MAX_NODES], new long[0], 0);
    }

    /** Consistent, UpToDate data of generation {@code currentUuid} (e.g. an already synced cluster). */
    public static MetadataRecord upToDate(long currentUuid) {
        return new MetadataRecord(currentUuid, new long[MAX_NODES], new long[0],
                MDF_CONSISTENT | MDF_WAS_UP_TO_DATE);
    }

    @Override
    public long[] bitmapUuids() {
        return bitmapUuids.clone();
    }

    @Override
    public long[] historyUuids() {
        return historyUuids.clone();
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MetadataRecord that && currentUuid == that.currentUuid && flags == that.flags
                && Arrays.equals(bitmapUuids, that.bitmapUuids) && Arrays.equals(historyUuids, that.historyUuids);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(currentUuid) * 31 + flags;
    }

    @Override
    public String toString() {
        return "MetadataRecord[current=" + Long.toHexString(currentUuid) + " flags=0x" + Integer.toHexString(flags)
                + " history=" + historyUuids.length + "]";
    }
}
