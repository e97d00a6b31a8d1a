package io.jdrbd.replication.wire;

/** P_OUT_OF_SYNC / P_RS_DEALLOCATED ({@code p_block_desc}: sector, blksize, pad; 16 bytes). */
public record BlockDescPacket(PacketType type, int volume, long sector, int blksize) implements Packet {

    public BlockDescPacket {
        PacketChecks.requireLayout(type, Layout.BLOCK_DESC);
        PacketChecks.requireVolume(volume);
    }
}
