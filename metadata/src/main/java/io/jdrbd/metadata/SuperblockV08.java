package io.jdrbd.metadata;

import java.nio.ByteBuffer;

/**
 * A DRBD 8.4 (v08) superblock, read only, so 8.4 users can inspect their meta-data
 * (drbd-metadata.md §7.1). Layout on disk is the v09 layout with one bitmap slot.
 *
 * @param effectiveSizeSect last agreed size in sectors
 * @param currentUuid       uuid[0]
 * @param bitmapUuid        uuid[1], the single peer's bitmap UUID
 * @param history0          uuid[2]
 * @param history1          uuid[3]
 * @param deviceUuid        device UUID
 * @param flags             v08 flag bits (CONSISTENT 0x1, PRIMARY_IND 0x2, CONNECTED_IND 0x4, FULL_SYNC 0x8,
 *                          WAS_UP_TO_DATE 0x10, PEER_OUT_DATED 0x20, CRASHED_PRIMARY 0x40, AL_CLEAN 0x80)
 * @param unclean           magic 0x8374026C: written by an attached 8.4 kernel, apply-al needed
 * @param mdSizeSect        meta-data size
 * @param alOffsetSect      activity log offset
 * @param bmOffsetSect      bitmap offset
 * @param alStripes         AL stripes (0 = default)
 * @param alStripeSize4k    AL stripe size (0 = default)
 */
public record SuperblockV08(long effectiveSizeSect, long currentUuid, long bitmapUuid, long history0, long history1,
                            long deviceUuid, int flags, boolean unclean, int mdSizeSect, int alOffsetSect,
                            int bmOffsetSect, int alStripes, int alStripeSize4k) {

    /** Decodes a v08 block; throws naming the field when it is not one. */
    public static SuperblockV08 decode(byte[] block) throws MetadataFormatException {
        ByteBuffer in = ByteBuffer.wrap(block);
        int magic = in.getInt(60);
        if (magic != SuperblockCodec.MAGIC_V08 && magic != SuperblockCodec.MAGIC_84_UNCLEAN) {
            throw new MetadataFormatException("magic", String.format("0x%08X is not v08 meta-data", magic));
        }
        if (in.getInt(80) != MetadataLayout.BYTES_PER_BIT) {
            throw new MetadataFormatException("bm-byte-per-bit", "must be 4096, found " + in.getInt(80));
        }
        return new SuperblockV08(in.getLong(0), in.getLong(8), in.getLong(16), in.getLong(24), in.getLong(32),
                in.getLong(40), in.getInt(56), magic == SuperblockCodec.MAGIC_84_UNCLEAN, in.getInt(64),
                in.getInt(68), in.getInt(76), in.getInt(88), in.getInt(92));
    }

    /** A few lines describing the meta-data for a person, ending with what to do about it. */
    public String report() {
        return String.format("v08 (DRBD 8.4) meta-data%s%n"
                + "  la-size-sect %d%n  uuid 0x%016X; 0x%016X; 0x%016X; 0x%016X;%n  device-uuid 0x%016X%n"
                + "  flags 0x%08X (%s)%n  md_size_sect %d, al_offset %d, bm_offset %d%n"
                + "  jdrbd works on v09 only: convert with 'drbdmeta DEVICE v09 META_DEV INDEX create-md 1'%n",
                unclean ? " (unclean: run apply-al with DRBD 8.4's drbdmeta first)" : "", effectiveSizeSect,
                currentUuid, bitmapUuid, history0, history1, deviceUuid, flags, describeFlags(),
                Integer.toUnsignedLong(mdSizeSect), alOffsetSect, bmOffsetSect);
    }

    private String describeFlags() {
        String[] names = {"consistent", "primary", "connected", "full-sync", "was-up-to-date", "peer-outdated",
            "crashed-primary", "al-clean", "al-disabled"};
        StringBuilder out = new StringBuilder();
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                out.append(out.length() == 0 ? "" : ", ").append(names[bit]);
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }
}
