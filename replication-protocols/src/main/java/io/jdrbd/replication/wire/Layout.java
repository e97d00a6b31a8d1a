package io.jdrbd.replication.wire;

/**
 * The payload layouts of DRBD packets (one per C struct of {@code drbd_protocol.h}), with the payload
 * length bounds a receiver enforces before it reads or allocates anything. Several packet types share
 * a layout (all acks are {@code p_block_ack}); the codec dispatches on the layout.
 */
public enum Layout {
    /** No payload: P_PING, P_PING_ACK, P_UNPLUG_REMOTE, P_DISCONNECT, P_INITIAL_DATA/META. */
    EMPTY(0, 0),
    /** {@code p_connection_features}: 72 bytes. */
    CONNECTION_FEATURES(72, 72),
    /** The 64-byte challenge of cram-hmac. */
    AUTH_CHALLENGE(Limits.CHALLENGE_BYTES, Limits.CHALLENGE_BYTES),
    /** The HMAC digest; its size depends on cram-hmac-alg. */
    AUTH_RESPONSE(1, Limits.MAX_DIGEST_BYTES),
    /** {@code p_protocol}: 24 fixed bytes + integrity-alg string incl. NUL. */
    PROTOCOL(25, 24 + Limits.MAX_STRING_BYTES),
    /** {@code p_sizes}: 32 bytes, 56 with the {@code o_qlim} tail. */
    SIZES(32, 56),
    /** {@code p_uuids} of the DRBD 8.4 dialect: 48 bytes. */
    UUIDS(48, 48),
    /** {@code p_uuids110}: 40 bytes + 8 per bitmap/history UUID, bounded by the receive buffer. */
    UUIDS110(40, Limits.MAX_CONTROL_PAYLOAD_BYTES),
    /** {@code p_rs_uuid} (P_SYNC_UUID): 8 bytes. */
    SYNC_UUID(8, 8),
    /** {@code p_state}: one 32-bit state word. */
    STATE(4, 4),
    /** {@code p_req_state}: mask + val. */
    STATE_CHANGE_REQUEST(8, 8),
    /** {@code p_req_state_reply}: retcode. */
    STATE_CHANGE_REPLY(4, 4),
    /** {@code p_twopc_request}: 36 bytes. */
    TWOPC_REQUEST(36, 36),
    /** {@code p_twopc_reply}: 32 bytes. */
    TWOPC_REPLY(32, 32),
    /** {@code p_data} + optional integrity digest + data; the data bound is the decoder's max data size. */
    DATA_BLOCK(24, 24 + Limits.MAX_DIGEST_BYTES + Limits.DRBD_MAX_BIO_SIZE),
    /** {@code p_trim}: {@code p_data} + size (P_TRIM, P_ZEROES). */
    TRIM(28, 28),
    /** {@code p_block_ack}: 24 bytes (all acks, P_RS_IS_IN_SYNC, P_RS_CANCEL, ...). */
    BLOCK_ACK(24, 24),
    /** {@code p_barrier}: opaque barrier number + pad. */
    BARRIER(8, 8),
    /** {@code p_barrier_ack}: opaque barrier number + set size. */
    BARRIER_ACK(8, 8),
    /** {@code p_confirm_stable}: 24 bytes. */
    CONFIRM_STABLE(24, 24),
    /** {@code p_dagtag}: one u64. */
    DAGTAG(8, 8),
    /** {@code p_peer_ack}: node mask + dagtag. */
    PEER_ACK(16, 16),
    /** {@code p_peer_dagtag}: dagtag + node id. */
    PEER_DAGTAG(12, 12),
    /** {@code p_current_uuid}: uuid + weak nodes. */
    CURRENT_UUID(16, 16),
    /** {@code p_block_req} (24 bytes) + a digest for P_CSUM_RS_REQUEST and P_OV_REPLY. */
    BLOCK_REQUEST(24, 24 + Limits.MAX_DIGEST_BYTES),
    /** {@code p_rs_req} (32 bytes, with dagtag) + a digest for the csum and verify-reply variants. */
    RS_REQUEST(32, 32 + Limits.MAX_DIGEST_BYTES),
    /** {@code p_block_desc}: sector, blksize, pad (P_OUT_OF_SYNC, P_RS_DEALLOCATED). */
    BLOCK_DESC(16, 16),
    /** {@code p_peer_block_desc}: sector, mask, size, pad (P_PEERS_IN_SYNC). */
    PEERS_IN_SYNC(24, 24),
    /** {@code p_ov_result}: 32 bytes (P_OV_RESULT_ID). */
    OV_RESULT(32, 32),
    /** {@code p_rs_param_95}: 148 bytes (the only form sent at agreed protocol 95 and later). */
    SYNC_PARAM89(148, 148),
    /** Plain bitmap words, little-endian u64s, at most one receive buffer. */
    BITMAP(0, Limits.MAX_CONTROL_PAYLOAD_BYTES),
    /** RLE+VLI compressed bitmap: encoding byte + code bytes. */
    COMPRESSED_BITMAP(2, Limits.MAX_CONTROL_PAYLOAD_BYTES),
    /** {@code p_delay_probe93}: seq_num + offset (legacy, accepted and ignored by DRBD). */
    DELAY_PROBE(8, 8),
    /** {@code p_enable_replication}: enable flag + pad. */
    ENABLE_REPLICATION(4, 4),
    /** {@code p_flush_requests}: flush sequence. */
    FLUSH_REQUESTS(8, 8),
    /** {@code p_flush_forward} / {@code p_flush_ack}: flush sequence + node id. */
    FLUSH_NODE(12, 12),
    /** Legacy packets DRBD 9 neither sends nor accepts; a received one is a protocol error. */
    UNSUPPORTED(0, 0);

    private final int minPayloadBytes;
    private final int maxPayloadBytes;

    Layout(int minPayloadBytes, int maxPayloadBytes) {
        this.minPayloadBytes = minPayloadBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Smallest payload a well-formed packet of this layout has. */
    public int minPayloadBytes() {
        return minPayloadBytes;
    }

    /** Largest payload accepted; checked against the header's length before anything is read. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }
}
