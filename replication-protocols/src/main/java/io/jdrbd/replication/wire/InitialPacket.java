package io.jdrbd.replication.wire;

/**
 * P_INITIAL_DATA or P_INITIAL_META: the first 8 bytes on a freshly connected socket, telling the
 * accepting node which of the two streams the socket is. Always h80 with length 0.
 */
public record InitialPacket(PacketType type) implements Packet {

    public static final InitialPacket DATA = new InitialPacket(PacketType.P_INITIAL_DATA);
    public static final InitialPacket META = new InitialPacket(PacketType.P_INITIAL_META);

    public InitialPacket {
        PacketChecks.requireOneOf(type, PacketType.P_INITIAL_DATA, PacketType.P_INITIAL_META);
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
