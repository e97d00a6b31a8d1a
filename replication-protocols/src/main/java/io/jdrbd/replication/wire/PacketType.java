package io.jdrbd.replication.wire;

import static io.jdrbd.replication.wire.Layout.BARRIER;
import static io.jdrbd.replication.wire.Layout.BARRIER_ACK;
import static io.jdrbd.replication.wire.Layout.BITMAP;
import static io.jdrbd.replication.wire.Layout.BLOCK_ACK;
import static io.jdrbd.replication.wire.Layout.BLOCK_DESC;
import static io.jdrbd.replication.wire.Layout.BLOCK_REQUEST;
import static io.jdrbd.replication.wire.Layout.COMPRESSED_BITMAP;
import static io.jdrbd.replication.wire.Layout.CONFIRM_STABLE;
import static io.jdrbd.replication.wire.Layout.CONNECTION_FEATURES;
import static io.jdrbd.replication.wire.Layout.CURRENT_UUID;
import static io.jdrbd.replication.wire.Layout.DAGTAG;
import static io.jdrbd.replication.wire.Layout.DATA_BLOCK;
import static io.jdrbd.replication.wire.Layout.DELAY_PROBE;
import static io.jdrbd.replication.wire.Layout.EMPTY;
import static io.jdrbd.replication.wire.Layout.ENABLE_REPLICATION;
import static io.jdrbd.replication.wire.Layout.FLUSH_NODE;
import static io.jdrbd.replication.wire.Layout.FLUSH_REQUESTS;
import static io.jdrbd.replication.wire.Layout.OV_RESULT;
import static io.jdrbd.replication.wire.Layout.PEERS_IN_SYNC;
import static io.jdrbd.replication.wire.Layout.PEER_ACK;
import static io.jdrbd.replication.wire.Layout.PEER_DAGTAG;
import static io.jdrbd.replication.wire.Layout.PROTOCOL;
import static io.jdrbd.replication.wire.Layout.RS_REQUEST;
import static io.jdrbd.replication.wire.Layout.SIZES;
import static io.jdrbd.replication.wire.Layout.STATE;
import static io.jdrbd.replication.wire.Layout.STATE_CHANGE_REPLY;
import static io.jdrbd.replication.wire.Layout.STATE_CHANGE_REQUEST;
import static io.jdrbd.replication.wire.Layout.SYNC_PARAM89;
import static io.jdrbd.replication.wire.Layout.SYNC_UUID;
import static io.jdrbd.replication.wire.Layout.TRIM;
import static io.jdrbd.replication.wire.Layout.TWOPC_REPLY;
import static io.jdrbd.replication.wire.Layout.TWOPC_REQUEST;
import static io.jdrbd.replication.wire.Layout.UNSUPPORTED;
import static io.jdrbd.replication.wire.Layout.UUIDS;
import static io.jdrbd.replication.wire.Layout.UUIDS110;
import static io.jdrbd.replication.wire.Stream.DATA;
import static io.jdrbd.replication.wire.Stream.EITHER;
import static io.jdrbd.replication.wire.Stream.META;

/**
 * Every DRBD 9 command code ({@code enum drbd_packet} of {@code drbd_protocol.h}), with the socket it
 * travels on and its payload layout. The constant names are DRBD's, so logs and tests read like DRBD's.
 */
public enum PacketType {
    P_DATA(0x00, DATA, DATA_BLOCK),
    P_DATA_REPLY(0x01, DATA, DATA_BLOCK),
    P_RS_DATA_REPLY(0x02, DATA, DATA_BLOCK),
    P_BARRIER(0x03, DATA, BARRIER),
    P_BITMAP(0x04, DATA, BITMAP),
    P_BECOME_SYNC_TARGET(0x05, DATA, UNSUPPORTED),
    P_BECOME_SYNC_SOURCE(0x06, DATA, UNSUPPORTED),
    P_UNPLUG_REMOTE(0x07, DATA, EMPTY),
    P_DATA_REQUEST(0x08, DATA, BLOCK_REQUEST),
    P_RS_DATA_REQUEST(0x09, DATA, BLOCK_REQUEST),
    P_SYNC_PARAM(0x0A, DATA, UNSUPPORTED),
    P_PROTOCOL(0x0B, DATA, PROTOCOL),
    P_UUIDS(0x0C, DATA, UUIDS),
    P_SIZES(0x0D, DATA, SIZES),
    P_STATE(0x0E, DATA, STATE),
    P_SYNC_UUID(0x0F, DATA, SYNC_UUID),
    P_AUTH_CHALLENGE(0x10, DATA, Layout.AUTH_CHALLENGE),
    P_AUTH_RESPONSE(0x11, DATA, Layout.AUTH_RESPONSE),
    P_STATE_CHG_REQ(0x12, DATA, STATE_CHANGE_REQUEST),
    P_PING(0x13, META, EMPTY),
    P_PING_ACK(0x14, META, EMPTY),
    P_RECV_ACK(0x15, META, BLOCK_ACK),
    P_WRITE_ACK(0x16, META, BLOCK_ACK),
    P_RS_WRITE_ACK(0x17, META, BLOCK_ACK),
    P_SUPERSEDED(0x18, META, BLOCK_ACK),
    P_NEG_ACK(0x19, META, BLOCK_ACK),
    P_NEG_DREPLY(0x1A, META, BLOCK_ACK),
    P_NEG_RS_DREPLY(0x1B, META, BLOCK_ACK),
    P_BARRIER_ACK(0x1C, META, BARRIER_ACK),
    P_STATE_CHG_REPLY(0x1D, META, STATE_CHANGE_REPLY),
    P_OV_REQUEST(0x1E, DATA, BLOCK_REQUEST),
    P_OV_REPLY(0x1F, DATA, BLOCK_REQUEST),
    P_OV_RESULT(0x20, META, BLOCK_ACK),
    P_CSUM_RS_REQUEST(0x21, DATA, BLOCK_REQUEST),
    P_RS_IS_IN_SYNC(0x22, META, BLOCK_ACK),
    P_SYNC_PARAM89(0x23, DATA, SYNC_PARAM89),
    P_COMPRESSED_BITMAP(0x24, DATA, COMPRESSED_BITMAP),
    P_DELAY_PROBE(0x27, EITHER, DELAY_PROBE),
    P_OUT_OF_SYNC(0x28, DATA, BLOCK_DESC),
    P_RS_CANCEL(0x29, META, BLOCK_ACK),
    P_CONN_ST_CHG_REQ(0x2A, DATA, STATE_CHANGE_REQUEST),
    P_CONN_ST_CHG_REPLY(0x2B, META, STATE_CHANGE_REPLY),
    P_RETRY_WRITE(0x2C, META, BLOCK_ACK),
    P_PROTOCOL_UPDATE(0x2D, DATA, PROTOCOL),
    P_TWOPC_PREPARE(0x2E, DATA, TWOPC_REQUEST),
    P_TWOPC_ABORT(0x2F, DATA, TWOPC_REQUEST),
    P_DAGTAG(0x30, DATA, DAGTAG),
    P_TRIM(0x31, DATA, TRIM),
    P_RS_THIN_REQ(0x32, DATA, BLOCK_REQUEST),
    P_RS_DEALLOCATED(0x33, DATA, BLOCK_DESC),
    P_WSAME(0x34, DATA, UNSUPPORTED),
    P_TWOPC_PREP_RSZ(0x35, DATA, TWOPC_REQUEST),
    P_ZEROES(0x36, DATA, TRIM),
    P_PEER_ACK(0x40, META, PEER_ACK),
    P_PEERS_IN_SYNC(0x41, META, PEERS_IN_SYNC),
    P_UUIDS110(0x42, DATA, UUIDS110),
    P_PEER_DAGTAG(0x43, DATA, PEER_DAGTAG),
    P_CURRENT_UUID(0x44, DATA, CURRENT_UUID),
    P_TWOPC_YES(0x45, META, TWOPC_REPLY),
    P_TWOPC_NO(0x46, META, TWOPC_REPLY),
    P_TWOPC_COMMIT(0x47, DATA, TWOPC_REQUEST),
    P_TWOPC_RETRY(0x48, META, TWOPC_REPLY),
    P_CONFIRM_STABLE(0x49, META, CONFIRM_STABLE),
    P_RS_CANCEL_AHEAD(0x4A, META, BLOCK_ACK),
    P_DISCONNECT(0x4B, DATA, EMPTY),
    P_RS_DAGTAG_REQ(0x4C, DATA, RS_REQUEST),
    P_RS_CSUM_DAGTAG_REQ(0x4D, DATA, RS_REQUEST),
    P_RS_THIN_DAGTAG_REQ(0x4E, DATA, RS_REQUEST),
    P_OV_DAGTAG_REQ(0x4F, DATA, RS_REQUEST),
    P_OV_DAGTAG_REPLY(0x50, DATA, RS_REQUEST),
    P_WRITE_ACK_IN_SYNC(0x51, META, BLOCK_ACK),
    P_RS_NEG_ACK(0x52, META, BLOCK_ACK),
    P_OV_RESULT_ID(0x53, META, OV_RESULT),
    P_RS_DEALLOCATED_ID(0x54, DATA, BLOCK_ACK),
    P_FLUSH_REQUESTS(0x55, DATA, FLUSH_REQUESTS),
    P_FLUSH_FORWARD(0x56, META, FLUSH_NODE),
    P_FLUSH_REQUESTS_ACK(0x57, DATA, FLUSH_NODE),
    P_ENABLE_REPLICATION_NEXT(0x58, DATA, ENABLE_REPLICATION),
    P_ENABLE_REPLICATION(0x59, DATA, ENABLE_REPLICATION),
    /** First packet on the meta socket; always an h80 header with length 0. */
    P_INITIAL_META(0xFFF1, META, EMPTY),
    /** First packet on the data socket; always an h80 header with length 0. */
    P_INITIAL_DATA(0xFFF2, DATA, EMPTY),
    /** Sent first on the data socket by both nodes; always an h80 header. */
    P_CONNECTION_FEATURES(0xFFFE, DATA, CONNECTION_FEATURES);

    private static final PacketType[] BY_SMALL_CODE = new PacketType[0x60];

    static {
        for (PacketType type : values()) {
            if (type.code < BY_SMALL_CODE.length) {
                BY_SMALL_CODE[type.code] = type;
            }
        }
    }

    private final int code;
    private final Stream stream;
    private final Layout layout;

    PacketType(int code, Stream stream, Layout layout) {
        this.code = code;
        this.stream = stream;
        this.layout = layout;
    }

    /** The 16-bit command code on the wire. */
    public int code() {
        return code;
    }

    /** The socket DRBD sends this packet on. */
    public Stream stream() {
        return stream;
    }

    /** The payload layout (struct) of this packet. */
    public Layout layout() {
        return layout;
    }

    /** True for the data-carrying packets whose payload the decoder hands out as a retained slice. */
    public boolean carriesData() {
        return layout == Layout.DATA_BLOCK;
    }

    /**
     * Whether the header is always h80, whatever protocol was agreed: the per-socket first packets and
     * the features packet are exchanged before any version is negotiated.
     */
    public boolean alwaysH80() {
        return this == P_INITIAL_DATA || this == P_INITIAL_META || this == P_CONNECTION_FEATURES;
    }

    /** The type with this command code, or {@code null} if DRBD defines none (including the unused 0x25/0x26). */
    public static PacketType fromCode(int code) {
        if (code >= 0 && code < BY_SMALL_CODE.length) {
            return BY_SMALL_CODE[code];
        }
        switch (code) {
            case 0xFFF1:
                return P_INITIAL_META;
            case 0xFFF2:
                return P_INITIAL_DATA;
            case 0xFFFE:
                return P_CONNECTION_FEATURES;
            default:
                return null;
        }
    }
}
