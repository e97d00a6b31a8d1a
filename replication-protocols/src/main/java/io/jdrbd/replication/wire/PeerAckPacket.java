package io.jdrbd.replication.wire;

/** P_PEER_ACK ({@code p_peer_ack}): writes up to {@code dagtag} completed on the nodes in {@code mask}. */
public record PeerAckPacket(long mask, long dagtag) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_PEER_ACK;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
