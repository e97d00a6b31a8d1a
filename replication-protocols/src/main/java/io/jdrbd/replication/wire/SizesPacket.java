package io.jdrbd.replication.wire;

/**
 * P_SIZES ({@code p_sizes}): 32 bytes, or 56 with the {@link QueueLimits} tail (DRBD_FF_WSAME agreed).
 *
 * @param dSize usable backing-device size in sectors (0 if diskless)
 * @param uSize user-requested size in sectors (0 = none)
 * @param cSize current exposed device size in sectors
 * @param maxBioSize largest request in bytes the sender accepts
 * @param queueOrderType unused, 0 (u16)
 * @param ddsFlags resize flags (u16)
 * @param queueLimits the {@code o_qlim} tail, or {@code null} when it is not sent
 */
public record SizesPacket(int volume, long dSize, long uSize, long cSize, int maxBioSize, int queueOrderType,
                          int ddsFlags, QueueLimits queueLimits) implements Packet {

    public SizesPacket {
        PacketChecks.requireVolume(volume);
        if ((queueOrderType & ~0xFFFF) != 0 || (ddsFlags & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("queue_order_type and dds_flags are u16");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.P_SIZES;
    }
}
