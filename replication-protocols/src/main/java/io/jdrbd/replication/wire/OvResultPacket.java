package io.jdrbd.replication.wire;

/**
 * P_OV_RESULT_ID ({@code p_ov_result}, 32 bytes): online-verify outcome for one block.
 *
 * @param result {@link #OV_RESULT_SKIP}, {@link #OV_RESULT_IN_SYNC} or {@link #OV_RESULT_OUT_OF_SYNC}
 */
public record OvResultPacket(int volume, long sector, long blockId, int blksize, int seqNum, int result)
        implements Packet {

    public static final int OV_RESULT_SKIP = 0;
    public static final int OV_RESULT_IN_SYNC = 1;
    public static final int OV_RESULT_OUT_OF_SYNC = 2;

    public OvResultPacket {
        PacketChecks.requireVolume(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_OV_RESULT_ID;
    }
}
