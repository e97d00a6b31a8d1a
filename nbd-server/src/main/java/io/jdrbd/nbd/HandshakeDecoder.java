package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Decodes the client side of the fixed-newstyle handshake: the 4-byte client flags, then option
 * requests ({@code IHAVEOPT}, option, length, data). A plain state machine over {@link ByteBuf}:
 * a step that lacks bytes returns {@code null} without consuming; option data is bounded by
 * {@link #maxOptionDataBytes} before anything is allocated (data up to {@link #discardLimitBytes}
 * is skipped unread and reported as too long, so the stream stays in sync); anything else is a
 * {@link NbdProtocolException}, after which the decoder discards all further input.
 */
public final class HandshakeDecoder {

    /** Option data we accept: names and queries are at most 4 KiB each, so this leaves ample room. */
    public static final int DEFAULT_MAX_OPTION_DATA_BYTES = 64 * 1024;
    /** Beyond this the client is treated as hostile and the connection closed (nbdkit's limit). */
    public static final long DEFAULT_DISCARD_LIMIT_BYTES = 64L * 1024 * 1024;

    private enum State { CLIENT_FLAGS, OPTION_HEADER, OPTION_DATA, OPTION_DISCARD, FAILED }

    private final int maxOptionDataBytes;
    private final long discardLimitBytes;
    private State state = State.CLIENT_FLAGS;
    private int option;
    private long dataLengthBytes;
    private long discardRemainingBytes;
    private long streamOffset;

    public HandshakeDecoder() {
        this(DEFAULT_MAX_OPTION_DATA_BYTES, DEFAULT_DISCARD_LIMIT_BYTES);
    }

    public HandshakeDecoder(int maxOptionDataBytes, long discardLimitBytes) {
        if (maxOptionDataBytes < NbdProtocol.MAX_STRING_BYTES + 16) {
            throw new IllegalArgumentException("maxOptionDataBytes too small for one name: " + maxOptionDataBytes);
        }
        if (discardLimitBytes < maxOptionDataBytes) {
            throw new IllegalArgumentException("discardLimitBytes < maxOptionDataBytes");
        }
        this.maxOptionDataBytes = maxOptionDataBytes;
        this.discardLimitBytes = discardLimitBytes;
    }

    /** Skips the client flags: used after STARTTLS, where haggling resumes with an option header. */
    public void expectOptionsOnly() {
        if (state == State.CLIENT_FLAGS) {
            state = State.OPTION_HEADER;
        }
    }

    /**
     * Decodes at most one message: a {@link ClientFlags} or an {@link OptionRequest} (whose data
     * the caller must release), or {@code null} when {@code in} does not yet hold a whole message.
     */
    public Object decode(ByteBuf in) {
        switch (state) {
            case CLIENT_FLAGS:
                return decodeClientFlags(in);
            case OPTION_HEADER:
                return decodeOptionHeader(in);
            case OPTION_DATA:
                return decodeOptionData(in);
            case OPTION_DISCARD:
                return discardOptionData(in);
            case FAILED:
            default:
                // The connection is being closed for the error already reported: drop what follows.
                in.skipBytes(in.readableBytes());
                return null;
        }
    }

    private Object decodeClientFlags(ByteBuf in) {
        if (in.readableBytes() < NbdProtocol.CLIENT_FLAGS_BYTES) {
            return null;
        }
        int flags = in.readInt();
        streamOffset += NbdProtocol.CLIENT_FLAGS_BYTES;
        state = State.OPTION_HEADER;
        return new ClientFlags(flags);
    }

    private Object decodeOptionHeader(ByteBuf in) {
        if (in.readableBytes() < NbdProtocol.OPTION_HEADER_BYTES) {
            return null;
        }
        int start = in.readerIndex();
        long magic = in.getLong(start);
        if (magic != NbdProtocol.IHAVEOPT) {
            return fail("bad option magic 0x" + Long.toHexString(magic) + " at stream offset " + streamOffset
                    + " (expected IHAVEOPT 0x" + Long.toHexString(NbdProtocol.IHAVEOPT) + ")");
        }
        option = in.getInt(start + 8);
        dataLengthBytes = in.getUnsignedInt(start + 12);
        if (dataLengthBytes > discardLimitBytes) {
            return fail("option data length " + dataLengthBytes + " of " + NbdProtocol.optionName(option)
                    + " at stream offset " + streamOffset + " exceeds the limit of " + discardLimitBytes + " bytes");
        }
        in.skipBytes(NbdProtocol.OPTION_HEADER_BYTES);
        streamOffset += NbdProtocol.OPTION_HEADER_BYTES;
        if (dataLengthBytes > maxOptionDataBytes) {
            discardRemainingBytes = dataLengthBytes;
            state = State.OPTION_DISCARD;
            return discardOptionData(in);
        }
        state = State.OPTION_DATA;
        return decodeOptionData(in);
    }

    private Object decodeOptionData(ByteBuf in) {
        int length = (int) dataLengthBytes;
        if (in.readableBytes() < length) {
            return null;
        }
        ByteBuf data = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(length);
        streamOffset += length;
        state = State.OPTION_HEADER;
        return new OptionRequest(option, data, dataLengthBytes, false);
    }

    private Object discardOptionData(ByteBuf in) {
        int skip = (int) Math.min(in.readableBytes(), discardRemainingBytes);
        in.skipBytes(skip);
        streamOffset += skip;
        discardRemainingBytes -= skip;
        if (discardRemainingBytes > 0) {
            return null;
        }
        state = State.OPTION_HEADER;
        return new OptionRequest(option, Unpooled.EMPTY_BUFFER, dataLengthBytes, true);
    }

    private Object fail(String message) {
        state = State.FAILED;
        throw new NbdProtocolException(message);
    }
}
