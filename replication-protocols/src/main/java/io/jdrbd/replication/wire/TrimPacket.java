package io.jdrbd.replication.wire;

/**
 * P_TRIM / P_ZEROES ({@code p_trim}: {@code p_data} + size, 28 bytes, no data, no digest).
 *
 * @param size bytes to discard or zero out (at most {@link Limits#DRBD_MAX_BATCH_BIO_SIZE} accepted)
 */
public record TrimPacket(PacketType type, int volume, long sector, long blockId, int seqNum, int dpFlags,
                         int size) implements Packet {

    public TrimPacket {
        PacketChecks.requireLayout(type, Layout.TRIM);
        PacketChecks.requireVolume(volume);
        if (size < 0 || size > Limits.DRBD_MAX_BATCH_BIO_SIZE || size % Limits.SECTOR_BYTES != 0) {
            throw new IllegalArgumentException("size " + size + " is not a multiple of 512 up to "
                    + Limits.DRBD_MAX_BATCH_BIO_SIZE);
        }
    }
}
