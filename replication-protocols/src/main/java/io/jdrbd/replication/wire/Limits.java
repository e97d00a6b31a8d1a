package io.jdrbd.replication.wire;

/** Size limits of the DRBD 9 wire protocol (values from {@code drbd_protocol.h} / {@code drbd_int.h}). */
public final class Limits {

    /** DRBD_MAX_BIO_SIZE: the largest data block of one P_DATA / reply / request at agreed protocol ≥ 100. */
    public static final int DRBD_MAX_BIO_SIZE = 1 << 20;

    /** DRBD_MAX_BATCH_BIO_SIZE: the largest range of one P_TRIM / P_ZEROES a receiver accepts. */
    public static final int DRBD_MAX_BATCH_BIO_SIZE = 128 << 20;

    /** DRBD_SOCKET_BUFFER_SIZE: header + payload of control packets (bitmap, UUIDs) fit in it. */
    public static final int DRBD_SOCKET_BUFFER_SIZE = 4096;

    /** Payload bound of packets that must fit the socket buffer together with an h100 header. */
    public static final int MAX_CONTROL_PAYLOAD_BYTES = DRBD_SOCKET_BUFFER_SIZE - Header.H100_SIZE;

    /** CHALLENGE_LEN of cram-hmac. */
    public static final int CHALLENGE_BYTES = 64;

    /** Largest digest of any Linux crypto hash DRBD may be configured with (sha512). */
    public static final int MAX_DIGEST_BYTES = 64;

    /** SHARED_SECRET_MAX: algorithm names incl. their NUL, and the fixed string fields of P_SYNC_PARAM89. */
    public static final int MAX_STRING_BYTES = 64;

    /** DRBD_PEERS_MAX: node ids are 0…31. */
    public static final int MAX_PEERS = 32;

    /** HISTORY_UUIDS: how many history UUIDs a DRBD 9 kernel sends in P_UUIDS110. */
    public static final int HISTORY_UUIDS = 32;

    /** Data sizes are multiples of a sector. */
    public static final int SECTOR_BYTES = 512;

    private Limits() {
    }
}
