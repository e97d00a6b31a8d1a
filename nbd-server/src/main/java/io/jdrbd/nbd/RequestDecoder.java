package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;

/**
 * Decodes transmission-phase requests: a 28-byte header, then for {@code NBD_CMD_WRITE} the
 * payload. A plain state machine over {@link ByteBuf}: a step that lacks bytes returns
 * {@code null} without consuming. A WRITE payload up to {@code maxPayloadBytes} is taken as a
 * retained slice of the receive buffer (no copy) once all of it has arrived; a longer one, up to
 * {@code discardLimitBytes}, is skipped as it arrives without being buffered and the request is
 * emitted afterwards marked {@link NbdRequest#payloadDiscarded()}, so the connection stays in
 * sync and the reply follows the payload. A bad magic or a payload beyond the discard limit is an
 * {@link NbdProtocolException}, after which the decoder discards all further input.
 */
public final class RequestDecoder {

    /** The protocol's default maximum payload, which every client keeps to without being told. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
    /** Payloads above the maximum but below this are skipped; above it the client is hostile. */
    public static final long DEFAULT_DISCARD_LIMIT_BYTES = 256L * 1024 * 1024;

    private enum State { HEADER, PAYLOAD, DISCARD, FAILED }

    private final int maxPayloadBytes;
    private final long discardLimitBytes;
    private State state = State.HEADER;
    private int flags;
    private int type;
    private long cookie;
    private long offset;
    private long lengthBytes;
    private long discardRemainingBytes;
    private long streamOffset;

    public RequestDecoder() {
        this(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_DISCARD_LIMIT_BYTES);
    }

    public RequestDecoder(int maxPayloadBytes, long discardLimitBytes) {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes <= 0: " + maxPayloadBytes);
        }
        if (discardLimitBytes < maxPayloadBytes) {
            throw new IllegalArgumentException("discardLimitBytes < maxPayloadBytes");
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.discardLimitBytes = discardLimitBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Decodes at most one request, or returns {@code null} when more bytes are needed. */
    public NbdRequest decode(ByteBuf in) {
        switch (state) {
            case HEADER:
                return decodeHeader(in);
            case PAYLOAD:
                return decodePayload(in);
            case DISCARD:
                return discardPayload(in);
            case FAILED:
            default:
                // The connection is being closed for the error already reported: drop what follows.
                in.skipBytes(in.readableBytes());
                return null;
        }
    }

    private NbdRequest decodeHeader(ByteBuf in) {
        if (in.readableBytes() < NbdProtocol.REQUEST_HEADER_BYTES) {
            return null;
        }
        int start = in.readerIndex();
        int magic = in.getInt(start);
        if (magic != NbdProtocol.REQUEST_MAGIC) {
            state = State.FAILED;
            throw new NbdProtocolException("bad request magic 0x" + Integer.toHexString(magic)
                    + " at stream offset " + streamOffset + " (expected 0x"
                    + Integer.toHexString(NbdProtocol.REQUEST_MAGIC) + ")");
        }
        flags = in.getUnsignedShort(start + 4);
        type = in.getUnsignedShort(start + 6);
        cookie = in.getLong(start + 8);
        offset = in.getLong(start + 16);
        lengthBytes = in.getUnsignedInt(start + 24);
        in.skipBytes(NbdProtocol.REQUEST_HEADER_BYTES);
        streamOffset += NbdProtocol.REQUEST_HEADER_BYTES;
        if (type != NbdProtocol.CMD_WRITE || lengthBytes == 0) {
            return new NbdRequest(flags, type, cookie, offset, lengthBytes, null, false);
        }
        if (lengthBytes > maxPayloadBytes) {
            if (lengthBytes > discardLimitBytes) {
                state = State.FAILED;
                throw new NbdProtocolException("write payload of " + lengthBytes + " bytes at stream offset "
                        + (streamOffset - NbdProtocol.REQUEST_HEADER_BYTES) + " exceeds the hard limit of "
                        + discardLimitBytes + " bytes");
            }
            discardRemainingBytes = lengthBytes;
            state = State.DISCARD;
            return discardPayload(in);
        }
        state = State.PAYLOAD;
        return decodePayload(in);
    }

    private NbdRequest decodePayload(ByteBuf in) {
        int length = (int) lengthBytes;
        if (in.readableBytes() < length) {
            return null;
        }
        ByteBuf payload = in.readRetainedSlice(length);
        streamOffset += length;
        state = State.HEADER;
        return new NbdRequest(flags, type, cookie, offset, lengthBytes, payload, false);
    }

    private NbdRequest discardPayload(ByteBuf in) {
        int skip = (int) Math.min(in.readableBytes(), discardRemainingBytes);
        in.skipBytes(skip);
        streamOffset += skip;
        discardRemainingBytes -= skip;
        if (discardRemainingBytes > 0) {
            return null;
        }
        state = State.HEADER;
        return new NbdRequest(flags, type, cookie, offset, lengthBytes, null, true);
    }

    /** How many payload bytes the decoder still needs for the request in progress (a hint for read sizing). */
    public long pendingPayloadBytes(ByteBuf in) {
        if (state == State.PAYLOAD) {
            return Math.max(0, lengthBytes - in.readableBytes());
        }
        return 0;
    }
}
