package io.jdrbd.metadata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the 4096-byte v09 superblock (big-endian, drbd-metadata.md §2). Decoding
 * validates every structural field and names the field at fault.
 *
 * <p>Torn writes: the superblock has no checksum of its own, and a 4 KiB write interrupted at a
 * sector boundary could mix sectors of two states. {@link #encodeGuarded} therefore adds, inside the
 * padding that drbdmeta and the kernel ignore, a checksum right after the fields (sector 2) and a
 * checksummed copy of the fields in sectors 4..6. A reader takes the primary copy when its checksum
 * holds, else the backup copy, else reports a torn superblock, so a write torn at any sector
 * boundary reads back as the old or the new state. Blocks written by drbdmeta (no guard) are read
 * as they are. {@link #encode} writes exactly what drbdmeta writes (padding zero).
 */
public final class SuperblockCodec {
    public static final int MAGIC_V09 = 0x8374026D;
    public static final int MAGIC_V08 = 0x8374026B;
    public static final int MAGIC_84_UNCLEAN = 0x8374026C;
    public static final int MAGIC_V07 = 0x8374026A;

    static final int OFF_EFFECTIVE_SIZE = 0;
    static final int OFF_CURRENT_UUID = 8;
    static final int OFF_MEMBERS = 16;
    static final int OFF_DEVICE_UUID = 48;
    static final int OFF_FLAGS = 56;
    static final int OFF_MAGIC = 60;
    static final int OFF_MD_SIZE_SECT = 64;
    static final int OFF_AL_OFFSET = 68;
    static final int OFF_AL_NR_EXTENTS = 72;
    static final int OFF_BM_OFFSET = 76;
    static final int OFF_BM_BYTES_PER_BIT = 80;
    static final int OFF_LA_PEER_MAX_BIO_SIZE = 84;
    static final int OFF_BM_MAX_PEERS = 88;
    static final int OFF_NODE_ID = 92;
    static final int OFF_AL_STRIPES = 96;
    static final int OFF_AL_STRIPE_SIZE_4K = 100;
    static final int OFF_PEERS = 112;
    static final int PEER_BYTES = 32;
    static final int PEER_OFF_BITMAP_UUID = 0;
    static final int PEER_OFF_BITMAP_DAGTAG = 8;
    static final int PEER_OFF_FLAGS = 16;
    static final int PEER_OFF_BITMAP_INDEX = 20;
    static final int OFF_HISTORY = 1136;
    /** End of the defined fields; the rest of the block is padding. */
    public static final int FIELDS_BYTES = 1392;

    /** "jdrG": marks a guarded block; followed by the CRC-32C of the fields. */
    static final int GUARD_MAGIC = 0x6A647247;
    static final int OFF_GUARD = FIELDS_BYTES;
    static final int OFF_BACKUP = 2048;
    static final int OFF_BACKUP_GUARD = OFF_BACKUP + FIELDS_BYTES;

    private SuperblockCodec() {
    }

    /** The 4096 bytes drbdmeta would write for {@code superblock}. */
    public static byte[] encode(Superblock superblock) {
        byte[] block = new byte[MetadataLayout.BLOCK_BYTES];
        encodeFields(superblock, ByteBuffer.wrap(block, 0, FIELDS_BYTES).slice());
        return block;
    }

    /** Like {@link #encode}, plus the torn-write guard in the padding. */
    public static byte[] encodeGuarded(Superblock superblock) {
        byte[] block = encode(superblock);
        int crc = DrbdCrc32c.standard(block, 0, FIELDS_BYTES);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        buffer.putInt(OFF_GUARD, GUARD_MAGIC).putInt(OFF_GUARD + 4, crc);
        System.arraycopy(block, 0, block, OFF_BACKUP, FIELDS_BYTES);
        buffer.putInt(OFF_BACKUP_GUARD, GUARD_MAGIC).putInt(OFF_BACKUP_GUARD + 4, crc);
        return block;
    }

    private static void encodeFields(Superblock sb, ByteBuffer out) {
        out.putLong(OFF_EFFECTIVE_SIZE, sb.effectiveSizeSect());
        out.putLong(OFF_CURRENT_UUID, sb.uuids().current());
        out.putLong(OFF_MEMBERS, sb.members());
        out.putLong(OFF_DEVICE_UUID, sb.deviceUuid());
        out.putInt(OFF_FLAGS, sb.flags() & ~MetadataFlags.MDF_HAVE_BITMAP);
        out.putInt(OFF_MAGIC, MAGIC_V09);
        out.putInt(OFF_MD_SIZE_SECT, sb.mdSizeSect());
        out.putInt(OFF_AL_OFFSET, sb.alOffsetSect());
        out.putInt(OFF_AL_NR_EXTENTS, sb.alNrExtents());
        out.putInt(OFF_BM_OFFSET, sb.bmOffsetSect());
        out.putInt(OFF_BM_BYTES_PER_BIT, sb.bmBytesPerBit());
        out.putInt(OFF_LA_PEER_MAX_BIO_SIZE, sb.laPeerMaxBioSize());
        out.putInt(OFF_BM_MAX_PEERS, sb.maxPeers());
        out.putInt(OFF_NODE_ID, sb.nodeId());
        out.putInt(OFF_AL_STRIPES, sb.alStripes());
        out.putInt(OFF_AL_STRIPE_SIZE_4K, sb.alStripeSize4k());
        for (int node = 0; node < Superblock.NODES; node++) {
            int base = OFF_PEERS + node * PEER_BYTES;
            PeerSlot peer = sb.peer(node);
            out.putLong(base + PEER_OFF_BITMAP_UUID, sb.uuids().bitmapUuid(node));
            out.putLong(base + PEER_OFF_BITMAP_DAGTAG, sb.uuids().bitmapDagtag(node));
            out.putInt(base + PEER_OFF_FLAGS, peer.flags() & ~MetadataFlags.MDF_HAVE_BITMAP);
            out.putInt(base + PEER_OFF_BITMAP_INDEX, peer.bitmapIndex());
        }
        for (int i = 0; i < GenerationUuids.HISTORY; i++) {
            out.putLong(OFF_HISTORY + i * 8, sb.uuids().history(i));
        }
    }

    /** The magic number of a superblock block (to tell v09 from v08 before decoding). */
    public static int magic(byte[] block) {
        return ByteBuffer.wrap(block).getInt(OFF_MAGIC);
    }

    /** Whether the block carries our torn-write guard (written by jdrbd's node, not by drbdmeta). */
    public static boolean isGuarded(byte[] block) {
        return ByteBuffer.wrap(block).getInt(OFF_GUARD) == GUARD_MAGIC;
    }

    /**
     * Decodes a v09 superblock, choosing the intact copy of a guarded block.
     *
     * @throws MetadataFormatException naming the field that is wrong
     */
    public static Superblock decode(byte[] block) throws MetadataFormatException {
        if (block.length != MetadataLayout.BLOCK_BYTES) {
            throw new MetadataFormatException("superblock", "needs 4096 bytes, got " + block.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(block);
        if (buffer.getInt(OFF_GUARD) != GUARD_MAGIC) {
            return decodeFields(ByteBuffer.wrap(block, 0, FIELDS_BYTES).slice());
        }
        if (buffer.getInt(OFF_GUARD + 4) == DrbdCrc32c.standard(block, 0, FIELDS_BYTES)) {
            return decodeFields(ByteBuffer.wrap(block, 0, FIELDS_BYTES).slice());
        }
        if (buffer.getInt(OFF_BACKUP_GUARD) == GUARD_MAGIC
                && buffer.getInt(OFF_BACKUP_GUARD + 4) == DrbdCrc32c.standard(block, OFF_BACKUP, FIELDS_BYTES)) {
            return decodeFields(ByteBuffer.wrap(block, OFF_BACKUP, FIELDS_BYTES).slice());
        }
        throw new MetadataFormatException("superblock",
                "torn write: neither the fields nor their backup copy match their checksum");
    }

    private static Superblock decodeFields(ByteBuffer in) throws MetadataFormatException {
        int magic = in.getInt(OFF_MAGIC);
        if (magic != MAGIC_V09) {
            throw new MetadataFormatException("magic", describeMagic(magic));
        }
        int maxPeers = in.getInt(OFF_BM_MAX_PEERS);
        if (maxPeers < 1 || maxPeers > 32) {
            throw new MetadataFormatException("max-peers", "must be 1..32, found "
                    + Integer.toUnsignedString(maxPeers));
        }
        int nodeId = in.getInt(OFF_NODE_ID);
        if (nodeId < -1 || nodeId > 31) {
            throw new MetadataFormatException("node-id", "must be -1..31, found " + nodeId);
        }
        int bytesPerBit = in.getInt(OFF_BM_BYTES_PER_BIT);
        if (bytesPerBit != MetadataLayout.BYTES_PER_BIT) {
            throw new MetadataFormatException("bm-byte-per-bit", "only 4096 is supported, found "
                    + Integer.toUnsignedString(bytesPerBit));
        }
        int alStripes = in.getInt(OFF_AL_STRIPES);
        int alStripeSize4k = in.getInt(OFF_AL_STRIPE_SIZE_4K);
        checkAlFields(alStripes, alStripeSize4k, in.getInt(OFF_AL_OFFSET), in.getInt(OFF_BM_OFFSET));
        long[] bitmapUuids = new long[Superblock.NODES];
        long[] dagtags = new long[Superblock.NODES];
        List<PeerSlot> peers = new ArrayList<>(Superblock.NODES);
        for (int node = 0; node < Superblock.NODES; node++) {
            int base = OFF_PEERS + node * PEER_BYTES;
            bitmapUuids[node] = in.getLong(base + PEER_OFF_BITMAP_UUID);
            dagtags[node] = in.getLong(base + PEER_OFF_BITMAP_DAGTAG);
            int bitmapIndex = in.getInt(base + PEER_OFF_BITMAP_INDEX);
            if (bitmapIndex < -1 || bitmapIndex >= maxPeers) {
                throw new MetadataFormatException("peer[" + node + "].bitmap-index",
                        "must be -1.." + (maxPeers - 1) + ", found " + bitmapIndex);
            }
            peers.add(new PeerSlot(in.getInt(base + PEER_OFF_FLAGS), bitmapIndex));
        }
        long[] history = new long[GenerationUuids.HISTORY];
        for (int i = 0; i < history.length; i++) {
            history[i] = in.getLong(OFF_HISTORY + i * 8);
        }
        GenerationUuids uuids = GenerationUuids.of(in.getLong(OFF_CURRENT_UUID), bitmapUuids, dagtags, history);
        return new Superblock(in.getLong(OFF_EFFECTIVE_SIZE), uuids, in.getLong(OFF_MEMBERS),
                in.getLong(OFF_DEVICE_UUID), in.getInt(OFF_FLAGS), in.getInt(OFF_MD_SIZE_SECT),
                in.getInt(OFF_AL_OFFSET), in.getInt(OFF_AL_NR_EXTENTS), in.getInt(OFF_BM_OFFSET), bytesPerBit,
                in.getInt(OFF_LA_PEER_MAX_BIO_SIZE), maxPeers, nodeId, alStripes, alStripeSize4k, peers);
    }

    /** drbd.conf's limit on al-stripes. */
    private static final long AL_STRIPES_MAX = 1024;

    private static void checkAlFields(int alStripes, int alStripeSize4k, int alOffset, int bmOffset)
            throws MetadataFormatException {
        long stripes = Integer.toUnsignedLong(alStripes);
        long stripeSize = Integer.toUnsignedLong(alStripeSize4k);
        if (stripes == 0 && stripeSize == 0) {
            stripes = MetadataLayout.DEFAULT_AL_STRIPES;
            stripeSize = MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K;
        }
        if (stripes < 1 || stripes > AL_STRIPES_MAX) {
            throw new MetadataFormatException("al-stripes", "must be 1.." + AL_STRIPES_MAX + ", found " + stripes);
        }
        String problem = MetadataLayout.checkAlGeometry(stripes, stripeSize);
        if (problem != null) {
            throw new MetadataFormatException("al-stripe-size-4k", problem);
        }
        long alSizeSect = stripes * stripeSize * 8;
        if (alOffset < 0 && -(long) alOffset != alSizeSect) {
            throw new MetadataFormatException(alStripes == 1 ? "al-stripe-size-4k" : "al-offset",
                    "activity log of " + alSizeSect + " sectors does not fit al-offset " + alOffset);
        }
        if (alOffset > 0 && bmOffset < 8 + alSizeSect) {
            throw new MetadataFormatException("al-stripe-size-4k",
                    "activity log of " + alSizeSect + " sectors overlaps the bitmap at " + bmOffset);
        }
        if (alOffset < 0 && bmOffset > alOffset) {
            throw new MetadataFormatException("bm-offset", bmOffset + " lies after al-offset " + alOffset);
        }
        if (alOffset == 0 || (alOffset > 0 && alOffset != 8)) {
            throw new MetadataFormatException("al-offset", "must be 8 (external) or negative (internal), found "
                    + alOffset);
        }
    }

    static String describeMagic(int magic) {
        switch (magic) {
            case MAGIC_V08:
                return "v08 meta-data (DRBD 8.4), not v09";
            case MAGIC_84_UNCLEAN:
                return "v08 meta-data (DRBD 8.4, unclean: apply-al needed), not v09";
            case MAGIC_V07:
                return "v07 meta-data (DRBD 8.0-8.3), not v09";
            default:
                return String.format("no DRBD meta-data (magic 0x%08X, expected 0x%08X)", magic, MAGIC_V09);
        }
    }

    /**
     * Checks that the superblock's offsets are those {@code expected} computes from the current
     * device size (drbdmeta's rule); returns null when they are, else the error.
     */
    public static MetadataFormatException checkLayout(Superblock sb, MetadataLayout expected) {
        if (sb.alOffsetSect() != expected.alOffsetSect()) {
            return new MetadataFormatException("al-offset", "found " + sb.alOffsetSect() + " sectors, expected "
                    + expected.alOffsetSect());
        }
        if (sb.bmOffsetSect() != expected.bmOffsetSect()) {
            return new MetadataFormatException("bm-offset", "found " + sb.bmOffsetSect() + " sectors, expected "
                    + expected.bmOffsetSect());
        }
        return null;
    }
}
