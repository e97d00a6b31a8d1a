package io.jdrbd.replication.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code p_rs_req} family (with a dagtag dependency, DRBD_FF_RESYNC_DAGTAG): P_RS_DAGTAG_REQ,
 * P_RS_THIN_DAGTAG_REQ, P_OV_DAGTAG_REQ, and with a trailing digest P_RS_CSUM_DAGTAG_REQ and
 * P_OV_DAGTAG_REPLY.
 *
 * @param dagtagNodeId the node whose writes up to {@code dagtag} must be received before reading
 */
public record ResyncRequest(PacketType type, int volume, long sector, long blockId, int blksize, int dagtagNodeId,
                            long dagtag, byte[] digest) implements Packet {

    public ResyncRequest {
        PacketChecks.requireLayout(type, Layout.RS_REQUEST);
        PacketChecks.requireVolume(volume);
        PacketChecks.requireBlksize(blksize);
        digest = PacketChecks.requireLength(digest, "digest", 0,
                BlockRequest.hasDigest(type) ? Limits.MAX_DIGEST_BYTES : 0);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResyncRequest that && type == that.type && volume == that.volume
                && sector == that.sector && blockId == that.blockId && blksize == that.blksize
                && dagtagNodeId == that.dagtagNodeId && dagtag == that.dagtag && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, volume, sector, blockId, blksize, dagtag);
    }

    @Override
    public String toString() {
        return "ResyncRequest[" + type + " volume=" + volume + " sector=" + sector + " blockId=0x"
                + Long.toHexString(blockId) + " blksize=" + blksize + " dagtagNodeId=" + dagtagNodeId + " dagtag="
                + dagtag + " digest=" + PacketChecks.hex(digest) + "]";
    }
}
