package io.jdrbd.replication.wire;

/** P_ENABLE_REPLICATION_NEXT / P_ENABLE_REPLICATION ({@code p_enable_replication}). */
public record EnableReplicationPacket(PacketType type, int volume, boolean enable) implements Packet {

    public EnableReplicationPacket {
        PacketChecks.requireLayout(type, Layout.ENABLE_REPLICATION);
        PacketChecks.requireVolume(volume);
    }
}
