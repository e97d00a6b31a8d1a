package io.jdrbd.proxy;

/** Fixed sizes of the relay; their relations are explained where they are used. */
final class ProxyLimits {

    /** Bytes read from the node are cut into blocks of at most this size for compression. */
    static final int BLOCK_BYTES = 128 * 1024;
    /**
     * A socket may always hold this many bytes in the buffer even when the connection is at its
     * memlimit: the meta socket (acks, pings) keeps flowing while bulk data fills the buffer.
     */
    static final int SOCKET_RESERVE_BYTES = 2 * BLOCK_BYTES;
    /** Writes towards the node pause reading from the peer proxy above this many queued bytes. */
    static final int INSIDE_WRITE_HIGH_WATER = 2 << 20;
    static final int INSIDE_WRITE_LOW_WATER = 1 << 20;
    /** How long a TCP connect to the peer proxy or the node may take. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    /** The probe link sends a PING this often and gives the peer up after PROBE_DEAD_MS without a PONG. */
    static final long PROBE_INTERVAL_MS = 500;
    static final long PROBE_DEAD_MS = 3_000;
    /** Wait between attempts to reach a peer proxy that is not there. */
    static final long RECONNECT_DELAY_MS = 500;

    private ProxyLimits() {
    }
}
