package io.jdrbd.replication.wire;

/** P_SYNC_UUID (8.4 dialect): the new bitmap UUID a SyncSource hands to its SyncTarget. */
public record SyncUuidPacket(int volume, long uuid) implements Packet {

    public SyncUuidPacket {
        PacketChecks.requireVolume(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_SYNC_UUID;
    }
}
