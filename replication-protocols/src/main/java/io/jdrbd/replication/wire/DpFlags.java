package io.jdrbd.replication.wire;

/** Bits of {@code dp_flags} in P_DATA, P_TRIM, P_ZEROES ({@code DP_*} of {@code drbd_protocol.h}). */
public final class DpFlags {

    /** Obsolete, never set. */
    public static final int DP_HARDBARRIER = 0x001;
    public static final int DP_RW_SYNC = 0x002;
    /** The sender resyncs with the receiver: the write may set the blocks in sync. */
    public static final int DP_MAY_SET_IN_SYNC = 0x004;
    /** Obsolete. */
    public static final int DP_UNPLUG = 0x008;
    public static final int DP_FUA = 0x010;
    public static final int DP_FLUSH = 0x020;
    public static final int DP_DISCARD = 0x040;
    /** Protocol B: answer with P_RECV_ACK. */
    public static final int DP_SEND_RECEIVE_ACK = 0x080;
    /** Protocol C: answer with P_WRITE_ACK. */
    public static final int DP_SEND_WRITE_ACK = 0x100;
    /** Legacy write-same; a DRBD 9.1+ receiver treats it as a protocol error. */
    public static final int DP_WSAME = 0x200;
    public static final int DP_ZEROES = 0x400;

    private DpFlags() {
    }
}
