package io.jdrbd.replication.wire;

/** P_PEER_DAGTAG ({@code p_peer_dagtag}): how far the sender received node {@code nodeId}'s writes. */
public record PeerDagtagPacket(long dagtag, int nodeId) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_PEER_DAGTAG;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
