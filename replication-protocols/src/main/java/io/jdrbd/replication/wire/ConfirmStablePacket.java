package io.jdrbd.replication.wire;

/**
 * P_CONFIRM_STABLE ({@code p_confirm_stable}): the writes from {@code oldestBlockId} to
 * {@code youngestBlockId} (opaque echoes, receive order) of the current epoch are stable.
 */
public record ConfirmStablePacket(long oldestBlockId, long youngestBlockId, int setSize) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_CONFIRM_STABLE;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
