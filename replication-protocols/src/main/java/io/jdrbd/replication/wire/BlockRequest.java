package io.jdrbd.replication.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code p_block_req} family (sector, opaque block_id, blksize, pad): P_DATA_REQUEST,
 * P_RS_DATA_REQUEST, P_RS_THIN_REQ, P_OV_REQUEST, and with a trailing digest P_CSUM_RS_REQUEST
 * (csums-alg) and P_OV_REPLY (verify-alg).
 *
 * @param digest empty for the plain requests; the csum/verify digest otherwise
 */
public record BlockRequest(PacketType type, int volume, long sector, long blockId, int blksize, byte[] digest)
        implements Packet {

    public BlockRequest {
        PacketChecks.requireLayout(type, Layout.BLOCK_REQUEST);
        PacketChecks.requireVolume(volume);
        PacketChecks.requireBlksize(blksize);
        digest = PacketChecks.requireLength(digest, "digest", 0, hasDigest(type) ? Limits.MAX_DIGEST_BYTES : 0);
    }

    /** A request without digest. */
    public static BlockRequest of(PacketType type, int volume, long sector, long blockId, int blksize) {
        return new BlockRequest(type, volume, sector, blockId, blksize, new byte[0]);
    }

    /** Whether packets of this type carry a digest after the request. */
    public static boolean hasDigest(PacketType type) {
        return type == PacketType.P_CSUM_RS_REQUEST || type == PacketType.P_OV_REPLY
                || type == PacketType.P_RS_CSUM_DAGTAG_REQ || type == PacketType.P_OV_DAGTAG_REPLY;
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockRequest that && type == that.type && volume == that.volume
                && sector == that.sector && blockId == that.blockId && blksize == that.blksize
                && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, volume, sector, blockId, blksize);
    }

    @Override
    public String toString() {
        return "BlockRequest[" + type + " volume=" + volume + " sector=" + sector + " blockId=0x"
                + Long.toHexString(blockId) + " blksize=" + blksize + " digest=" + PacketChecks.hex(digest) + "]";
    }
}
