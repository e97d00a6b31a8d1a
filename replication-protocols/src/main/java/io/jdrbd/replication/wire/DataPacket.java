package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * P_DATA, P_DATA_REPLY, P_RS_DATA_REPLY ({@code p_data} + integrity digest + data).
 *
 * <p>{@code blockId} is opaque: the codec writes and reads it little-endian, so an echoed value keeps
 * its bytes. {@code data} is a reference-counted buffer: see {@link PayloadHolder}. Equality compares
 * the readable data bytes.
 *
 * @param sector first sector (512 bytes) of the write
 * @param blockId the sender's opaque request handle, echoed in acks
 * @param seqNum the sender's per-volume packet sequence number (0 in replies)
 * @param dpFlags {@link DpFlags} bits (0 in replies)
 * @param digest data-integrity digest over the data, empty when no data-integrity-alg is set
 * @param data the block, a multiple of 512 bytes
 */
public record DataPacket(PacketType type, int volume, long sector, long blockId, int seqNum, int dpFlags,
                         byte[] digest, ByteBuf data) implements Packet, PayloadHolder {

    private static final byte[] NO_DIGEST = new byte[0];

    public DataPacket {
        PacketChecks.requireLayout(type, Layout.DATA_BLOCK);
        PacketChecks.requireVolume(volume);
        digest = digest.length == 0 ? NO_DIGEST
                : PacketChecks.requireLength(digest, "digest", 0, Limits.MAX_DIGEST_BYTES);
        Objects.requireNonNull(data, "data");
        if (data.readableBytes() % Limits.SECTOR_BYTES != 0) {
            throw new IllegalArgumentException("data size " + data.readableBytes() + " is not a multiple of 512");
        }
        if (data.readableBytes() > Limits.DRBD_MAX_BIO_SIZE) {
            throw new IllegalArgumentException("data size " + data.readableBytes() + " exceeds DRBD_MAX_BIO_SIZE");
        }
    }

    /** A P_DATA without integrity digest. */
    public static DataPacket write(int volume, long sector, long blockId, int seqNum, int dpFlags, ByteBuf data) {
        return new DataPacket(PacketType.P_DATA, volume, sector, blockId, seqNum, dpFlags, NO_DIGEST, data);
    }

    /** A copy of the digest. */
    @Override
    public byte[] digest() {
        return digest.length == 0 ? NO_DIGEST : digest.clone();
    }

    /** Digest length without copying. */
    public int digestBytes() {
        return digest.length;
    }

    /** Data length in bytes. */
    public int size() {
        return data.readableBytes();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataPacket that && type == that.type && volume == that.volume
                && sector == that.sector && blockId == that.blockId && seqNum == that.seqNum
                && dpFlags == that.dpFlags && Arrays.equals(digest, that.digest) && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, volume, sector, blockId, seqNum, dpFlags);
    }

    @Override
    public String toString() {
        return "DataPacket[" + type + " volume=" + volume + " sector=" + sector + " blockId=0x"
                + Long.toHexString(blockId) + " seqNum=" + seqNum + " dpFlags=0x" + Integer.toHexString(dpFlags)
                + " digest=" + PacketChecks.hex(digest) + " size=" + data.readableBytes() + "]";
    }
}
