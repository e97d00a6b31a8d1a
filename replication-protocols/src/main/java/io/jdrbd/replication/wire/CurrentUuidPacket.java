package io.jdrbd.replication.wire;

/** P_CURRENT_UUID ({@code p_current_uuid}): a current UUID and the weak nodes of the new generation. */
public record CurrentUuidPacket(int volume, long uuid, long weakNodes) implements Packet {

    public CurrentUuidPacket {
        PacketChecks.requireVolume(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_CURRENT_UUID;
    }
}
