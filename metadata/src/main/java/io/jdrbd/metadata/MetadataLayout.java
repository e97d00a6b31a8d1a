package io.jdrbd.metadata;

/**
 * Where the superblock, the activity log and the bitmap lie on the meta-data device, computed with
 * drbdmeta's formulas (drbd-metadata.md §1). Offsets of the activity log and the bitmap are signed
 * sector offsets relative to the superblock, exactly as the superblock stores them.
 *
 * @param mode             internal, flex-external or indexed
 * @param mdOffsetBytes    byte position of the superblock on the meta-data device
 * @param mdSizeSect       size of the whole meta-data area in sectors
 * @param alOffsetSect     activity-log start relative to the superblock, in sectors
 * @param bmOffsetSect     bitmap start relative to the superblock, in sectors
 * @param maxPeers         bitmap slots
 * @param alStripes        activity-log stripes
 * @param alStripeSize4k   4 KiB blocks per stripe
 */
public record MetadataLayout(MetaDiskMode mode, long mdOffsetBytes, long mdSizeSect, int alOffsetSect,
                             int bmOffsetSect, int maxPeers, int alStripes, int alStripeSize4k) {

    public static final int SECTOR_BYTES = 512;
    public static final int BLOCK_BYTES = 4096;
    public static final int BYTES_PER_BIT = 4096;
    public static final int SECTORS_PER_BIT = BYTES_PER_BIT / SECTOR_BYTES;
    /** drbdmeta refuses more; the kernel would take 32. */
    public static final int MAX_PEERS_LIMIT = 31;
    public static final int DEFAULT_AL_STRIPES = 1;
    public static final int DEFAULT_AL_STRIPE_SIZE_4K = 8;
    /** drbdmeta's bounds on the total AL ring: 32 KiB ... 32 MiB. */
    public static final long AL_SIZE_4K_MIN = 8;
    public static final long AL_SIZE_4K_MAX = 8192;
    public static final long INDEXED_WINDOW_BYTES = 128L << 20;
    public static final int INDEXED_WINDOW_SECT = (int) (INDEXED_WINDOW_BYTES / SECTOR_BYTES);

    public MetadataLayout {
        if (maxPeers < 1 || maxPeers > 32) {
            throw new IllegalArgumentException("maxPeers out of range: " + maxPeers);
        }
        if (alStripes < 1 || alStripeSize4k < 1) {
            throw new IllegalArgumentException("AL geometry " + alStripes + "x" + alStripeSize4k);
        }
    }

    /** Checks the AL geometry the way drbdmeta does, naming the option at fault; null when fine. */
    public static String checkAlGeometry(long alStripes, long alStripeSize4k) {
        if (alStripes < 1) {
            return "al-stripes must be at least 1";
        }
        if (alStripeSize4k < 1) {
            return "al-stripe-size-kB must be at least 4";
        }
        long total = alStripes * alStripeSize4k;
        if (total < AL_SIZE_4K_MIN) {
            return "invalid (too small) al-stripe-size-kB: " + total * 4 + " kB in total, at least 32 kB needed";
        }
        if (total > AL_SIZE_4K_MAX) {
            return "invalid (too large) al-stripe-size-kB: " + total * 4 + " kB in total, at most 32768 kB";
        }
        return null;
    }

    /**
     * Bytes of bitmap for {@code capacitySectors} of data and {@code maxPeers} slots: one bit per
     * 4 KiB, each slot rounded up to 64 bits, the total rounded up to 4 KiB.
     */
    public static long bitmapBytes(long capacitySectors, int maxPeers) {
        long bitsPerSlot = bitsPerSlot(capacitySectors);
        long bytes = bitsPerSlot / 8 * maxPeers;
        return roundUp(bytes, BLOCK_BYTES);
    }

    /** Bits of one slot (a multiple of 64) covering {@code capacitySectors}. */
    public static long bitsPerSlot(long capacitySectors) {
        long bits = (capacitySectors + SECTORS_PER_BIT - 1) / SECTORS_PER_BIT;
        return roundUp(bits, 64);
    }

    /** Internal meta-data at the end of a backing device of {@code deviceBytes}. */
    public static MetadataLayout internal(long deviceBytes, int maxPeers, int alStripes, int alStripeSize4k) {
        long alSizeSect = (long) alStripes * alStripeSize4k * 8;
        long bmSect = bitmapBytes(deviceBytes / SECTOR_BYTES, maxPeers) / SECTOR_BYTES;
        long mdSizeSect = bmSect + 8 + alSizeSect;
        long mdOffset = (deviceBytes - BLOCK_BYTES) / BLOCK_BYTES * BLOCK_BYTES;
        return new MetadataLayout(MetaDiskMode.INTERNAL, mdOffset, mdSizeSect, (int) -alSizeSect,
                (int) (8 - mdSizeSect), maxPeers, alStripes, alStripeSize4k);
    }

    /** Flexible external meta-data occupying a whole device of {@code mdDeviceBytes}. */
    public static MetadataLayout flexExternal(long mdDeviceBytes, int maxPeers, int alStripes, int alStripeSize4k) {
        long alSizeSect = (long) alStripes * alStripeSize4k * 8;
        return new MetadataLayout(MetaDiskMode.FLEX_EXTERNAL, 0, mdDeviceBytes / SECTOR_BYTES, 8,
                (int) (8 + alSizeSect), maxPeers, alStripes, alStripeSize4k);
    }

    /** Indexed external meta-data in window {@code index} (128 MiB each). */
    public static MetadataLayout indexed(int index, int maxPeers, int alStripes, int alStripeSize4k) {
        long alSizeSect = (long) alStripes * alStripeSize4k * 8;
        return new MetadataLayout(MetaDiskMode.INDEXED, index * INDEXED_WINDOW_BYTES, INDEXED_WINDOW_SECT, 8,
                (int) (8 + alSizeSect), maxPeers, alStripes, alStripeSize4k);
    }

    /** The layout for {@code mode} on a meta-data device of {@code mdDeviceBytes}. */
    public static MetadataLayout of(MetaDiskMode mode, int index, long mdDeviceBytes, int maxPeers,
                                    int alStripes, int alStripeSize4k) {
        switch (mode) {
            case INTERNAL:
                return internal(mdDeviceBytes, maxPeers, alStripes, alStripeSize4k);
            case FLEX_EXTERNAL:
                return flexExternal(mdDeviceBytes, maxPeers, alStripes, alStripeSize4k);
            case INDEXED:
                return indexed(index, maxPeers, alStripes, alStripeSize4k);
            default:
                throw new AssertionError(mode);
        }
    }

    public long alSize4k() {
        return (long) alStripes * alStripeSize4k;
    }

    public long alSizeSect() {
        return alSize4k() * 8;
    }

    public long alStartBytes() {
        return mdOffsetBytes + (long) alOffsetSect * SECTOR_BYTES;
    }

    public long bmStartBytes() {
        return mdOffsetBytes + (long) bmOffsetSect * SECTOR_BYTES;
    }

    /** Bytes available for the bitmap area. */
    public long bitmapAreaBytes() {
        if (mode == MetaDiskMode.INTERNAL) {
            return (long) (alOffsetSect - bmOffsetSect) * SECTOR_BYTES;
        }
        return (mdSizeSect - bmOffsetSect) * SECTOR_BYTES;
    }

    /** drbdmeta's {@code max_usable_sect}: the data sectors this meta-data can serve. */
    public long maxUsableSectors(long dataDeviceBytes) {
        if (mode == MetaDiskMode.INTERNAL) {
            return mdOffsetBytes / SECTOR_BYTES + bmOffsetSect;
        }
        long bitmapSect = mdSizeSect - bmOffsetSect;
        long byBitmap = bitmapSect * SECTOR_BYTES * 8 / 64 / maxPeers * 64 * SECTORS_PER_BIT;
        return dataDeviceBytes < 0 ? byBitmap : Math.min(byBitmap, dataDeviceBytes / SECTOR_BYTES);
    }

    /** Byte position of the AL block holding transaction {@code trNumber} (unsigned 32-bit, striped). */
    public long alTransactionOffsetBytes(int trNumber) {
        long ring = alSize4k();
        long u = Integer.toUnsignedLong(trNumber) % ring;
        long block = (u % alStripes) * alStripeSize4k + u / alStripes;
        return alStartBytes() + block * BLOCK_BYTES;
    }

    /** Byte position of ring position {@code ringIndex} (0 .. alSize4k-1) in logical order. */
    public long alRingOffsetBytes(long ringIndex) {
        long block = (ringIndex % alStripes) * alStripeSize4k + ringIndex / alStripes;
        return alStartBytes() + block * BLOCK_BYTES;
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
