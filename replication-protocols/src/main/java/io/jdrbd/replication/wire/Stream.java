package io.jdrbd.replication.wire;

/** The two TCP connections of a DRBD connection. */
public enum Stream {
    /** DATA_STREAM ("sock"): handshake, writes, requests, replies, barriers, bitmaps. */
    DATA,
    /** CONTROL_STREAM ("msock", the asender): acks, pings, 2PC replies. */
    META,
    /** Accepted on either socket (P_DELAY_PROBE). */
    EITHER
}
