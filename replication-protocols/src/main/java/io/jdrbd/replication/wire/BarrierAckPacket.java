package io.jdrbd.replication.wire;

/**
 * P_BARRIER_ACK ({@code p_barrier_ack}): the epoch {@code barrier} (opaque echo) is on stable storage,
 * {@code setSize} writes (minus those already confirmed by P_CONFIRM_STABLE).
 */
public record BarrierAckPacket(int barrier, int setSize) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_BARRIER_ACK;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
