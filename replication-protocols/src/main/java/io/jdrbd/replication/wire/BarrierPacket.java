package io.jdrbd.replication.wire;

/** P_BARRIER ({@code p_barrier}): closes the epoch numbered {@code barrier} (opaque, little-endian). */
public record BarrierPacket(int barrier) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_BARRIER;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
