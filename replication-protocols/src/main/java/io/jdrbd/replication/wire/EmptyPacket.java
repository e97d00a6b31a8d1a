package io.jdrbd.replication.wire;

/**
 * A connection-scope packet without payload: P_PING, P_PING_ACK, P_UNPLUG_REMOTE, P_DISCONNECT.
 */
public record EmptyPacket(PacketType type) implements Packet {

    public static final EmptyPacket PING = new EmptyPacket(PacketType.P_PING);
    public static final EmptyPacket PING_ACK = new EmptyPacket(PacketType.P_PING_ACK);
    public static final EmptyPacket UNPLUG_REMOTE = new EmptyPacket(PacketType.P_UNPLUG_REMOTE);
    public static final EmptyPacket DISCONNECT = new EmptyPacket(PacketType.P_DISCONNECT);

    public EmptyPacket {
        PacketChecks.requireOneOf(type, PacketType.P_PING, PacketType.P_PING_ACK, PacketType.P_UNPLUG_REMOTE,
                PacketType.P_DISCONNECT);
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
