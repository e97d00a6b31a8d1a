package io.jdrbd.replication.wire;

/** P_DELAY_PROBE (legacy DRBD 8.3): accepted and ignored by DRBD 8.4 and 9, never sent. */
public record DelayProbePacket(int volume, int seqNum, int offset) implements Packet {

    public DelayProbePacket {
        PacketChecks.requireVolumeOrConnection(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_DELAY_PROBE;
    }
}
