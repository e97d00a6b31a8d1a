package io.jdrbd.replication.wire;

/** P_UUIDS ({@code p_uuids}, DRBD 8.4 dialect, 48 bytes): decoded for completeness, never sent by DRBD 9. */
public record UuidsPacket(int volume, long currentUuid, long bitmapUuid, long historyUuid1, long historyUuid2,
                          long dirtyBits, long uuidFlags) implements Packet {

    public UuidsPacket {
        PacketChecks.requireVolume(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_UUIDS;
    }
}
