package io.jdrbd.replication.wire;

/**
 * The {@code p_block_ack} family (24 bytes, meta socket except P_RS_DEALLOCATED_ID): P_RECV_ACK,
 * P_WRITE_ACK, P_RS_WRITE_ACK, P_SUPERSEDED, P_NEG_ACK, P_NEG_DREPLY, P_NEG_RS_DREPLY, P_OV_RESULT,
 * P_RS_IS_IN_SYNC, P_RS_CANCEL, P_RETRY_WRITE, P_RS_CANCEL_AHEAD, P_WRITE_ACK_IN_SYNC, P_RS_NEG_ACK,
 * P_RS_DEALLOCATED_ID.
 *
 * @param sector echo of the request's sector
 * @param blockId opaque echo of the request's block_id (little-endian on the wire, bytes kept)
 * @param blksize echo of the size in bytes
 * @param seqNum the acknowledging node's own per-volume counter
 */
public record BlockAck(PacketType type, int volume, long sector, long blockId, int blksize, int seqNum)
        implements Packet {

    /** block_id of resync traffic when the agreed protocol is below 122. */
    public static final long ID_SYNCER = -1L;
    /*
     * P_OV_RESULT below 122: block skipped / in sync / out of sync. DRBD writes these numbers (4710,
     * 4711, 4712) big-endian into the block_id field; since the codec treats every block_id as opaque
     * little-endian, the constants are the byte-swapped numbers, so they compare equal to decoded values.
     */
    public static final long ID_SKIP = Long.reverseBytes(4710);
    public static final long ID_IN_SYNC = Long.reverseBytes(4711);
    public static final long ID_OUT_OF_SYNC = Long.reverseBytes(4712);

    public BlockAck {
        PacketChecks.requireLayout(type, Layout.BLOCK_ACK);
        PacketChecks.requireVolume(volume);
    }
}
