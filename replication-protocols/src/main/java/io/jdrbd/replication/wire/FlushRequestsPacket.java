package io.jdrbd.replication.wire;

/** P_FLUSH_REQUESTS ({@code p_flush_requests}). */
public record FlushRequestsPacket(long flushSequence) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_FLUSH_REQUESTS;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
