package io.jdrbd.replication.wire;

/** P_DAGTAG ({@code p_dagtag}): sets the receiver's last dagtag of this connection (sectors). */
public record DagtagPacket(long dagtag) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_DAGTAG;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
