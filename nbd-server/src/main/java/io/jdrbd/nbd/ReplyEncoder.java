package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writes the server's side of the wire: greeting, option replies, simple replies and structured
 * reply chunks. Plain functions over {@link ByteBuf}; each {@code xxxBytes} method gives the exact
 * size so callers can size one buffer for a header and the data a device reads behind it.
 */
public final class ReplyEncoder {
    private ReplyEncoder() {
    }

    /** Server greeting of fixed newstyle: NBDMAGIC, IHAVEOPT, handshake flags. */
    public static ByteBuf greeting(ByteBufAllocator alloc, int handshakeFlags) {
        ByteBuf out = alloc.buffer(NbdProtocol.GREETING_BYTES);
        out.writeLong(NbdProtocol.NBDMAGIC);
        out.writeLong(NbdProtocol.IHAVEOPT);
        out.writeShort(handshakeFlags);
        return out;
    }

    /** An option reply whose data is {@code data} (may be empty). */
    public static ByteBuf optionReply(ByteBufAllocator alloc, int option, int replyType, byte[] data) {
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + data.length);
        writeOptionReplyHeader(out, option, replyType, data.length);
        out.writeBytes(data);
        return out;
    }

    /** An option error reply with a human-readable message as its data. */
    public static ByteBuf optionError(ByteBufAllocator alloc, int option, int errorType, String message) {
        return optionReply(alloc, option, errorType, truncatedUtf8(message));
    }

    public static void writeOptionReplyHeader(ByteBuf out, int option, int replyType, int dataLengthBytes) {
        out.writeLong(NbdProtocol.OPTION_REPLY_MAGIC);
        out.writeInt(option);
        out.writeInt(replyType);
        out.writeInt(dataLengthBytes);
    }

    /** NBD_REP_SERVER for NBD_OPT_LIST: name length, name, description. */
    public static ByteBuf serverReply(ByteBufAllocator alloc, String name, String description) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] text = truncatedUtf8(description);
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + 4 + nameBytes.length + text.length);
        writeOptionReplyHeader(out, NbdProtocol.OPT_LIST, NbdProtocol.REP_SERVER, 4 + nameBytes.length + text.length);
        out.writeInt(nameBytes.length);
        out.writeBytes(nameBytes);
        out.writeBytes(text);
        return out;
    }

    /** NBD_REP_INFO carrying NBD_INFO_EXPORT: size and transmission flags. */
    public static ByteBuf infoExport(ByteBufAllocator alloc, int option, long sizeBytes, int transmissionFlags) {
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + 12);
        writeOptionReplyHeader(out, option, NbdProtocol.REP_INFO, 12);
        out.writeShort(NbdProtocol.INFO_EXPORT);
        out.writeLong(sizeBytes);
        out.writeShort(transmissionFlags);
        return out;
    }

    /** NBD_REP_INFO carrying NBD_INFO_NAME or NBD_INFO_DESCRIPTION. */
    public static ByteBuf infoText(ByteBufAllocator alloc, int option, int infoType, String text) {
        byte[] bytes = truncatedUtf8(text);
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + 2 + bytes.length);
        writeOptionReplyHeader(out, option, NbdProtocol.REP_INFO, 2 + bytes.length);
        out.writeShort(infoType);
        out.writeBytes(bytes);
        return out;
    }

    /** NBD_REP_INFO carrying NBD_INFO_BLOCK_SIZE. */
    public static ByteBuf infoBlockSize(ByteBufAllocator alloc, int option, int minimum, int preferred, int maximum) {
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + 14);
        writeOptionReplyHeader(out, option, NbdProtocol.REP_INFO, 14);
        out.writeShort(NbdProtocol.INFO_BLOCK_SIZE);
        out.writeInt(minimum);
        out.writeInt(preferred);
        out.writeInt(maximum);
        return out;
    }

    /** NBD_REP_META_CONTEXT: context id and name. */
    public static ByteBuf metaContext(ByteBufAllocator alloc, int option, int contextId, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(NbdProtocol.OPTION_REPLY_HEADER_BYTES + 4 + bytes.length);
        writeOptionReplyHeader(out, option, NbdProtocol.REP_META_CONTEXT, 4 + bytes.length);
        out.writeInt(contextId);
        out.writeBytes(bytes);
        return out;
    }

    /** The reply to NBD_OPT_EXPORT_NAME: size, transmission flags, and 124 zeroes unless NO_ZEROES. */
    public static ByteBuf exportNameReply(ByteBufAllocator alloc, long sizeBytes, int transmissionFlags,
                                          boolean noZeroes) {
        int padding = noZeroes ? 0 : NbdProtocol.EXPORT_NAME_PADDING_BYTES;
        ByteBuf out = alloc.buffer(10 + padding);
        out.writeLong(sizeBytes);
        out.writeShort(transmissionFlags);
        out.writeZero(padding);
        return out;
    }

    public static void writeSimpleReply(ByteBuf out, int error, long cookie) {
        out.writeInt(NbdProtocol.SIMPLE_REPLY_MAGIC);
        out.writeInt(error);
        out.writeLong(cookie);
    }

    /** Writes a simple reply header at {@code index} without moving the writer index. */
    public static void setSimpleReply(ByteBuf out, int index, int error, long cookie) {
        out.setInt(index, NbdProtocol.SIMPLE_REPLY_MAGIC);
        out.setInt(index + 4, error);
        out.setLong(index + 8, cookie);
    }

    public static void writeChunkHeader(ByteBuf out, int flags, int type, long cookie, int payloadBytes) {
        out.writeInt(NbdProtocol.STRUCTURED_REPLY_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeInt(payloadBytes);
    }

    /** Writes an OFFSET_DATA chunk header (with its 8-byte offset) at {@code index} for {@code dataBytes}. */
    public static void setOffsetDataHeader(ByteBuf out, int index, int flags, long cookie, long offset, int dataBytes) {
        out.setInt(index, NbdProtocol.STRUCTURED_REPLY_MAGIC);
        out.setShort(index + 4, flags);
        out.setShort(index + 6, NbdProtocol.REPLY_TYPE_OFFSET_DATA);
        out.setLong(index + 8, cookie);
        out.setInt(index + 16, 8 + dataBytes);
        out.setLong(index + 20, offset);
    }

    public static void writeOffsetHole(ByteBuf out, int flags, long cookie, long offset, int holeBytes) {
        writeChunkHeader(out, flags, NbdProtocol.REPLY_TYPE_OFFSET_HOLE, cookie, 12);
        out.writeLong(offset);
        out.writeInt(holeBytes);
    }

    public static void writeNoneChunk(ByteBuf out, long cookie) {
        writeChunkHeader(out, NbdProtocol.REPLY_FLAG_DONE, NbdProtocol.REPLY_TYPE_NONE, cookie, 0);
    }

    /** Size of {@link #writeErrorChunk} for this message. */
    public static int errorChunkBytes(byte[] message, boolean withOffset) {
        return NbdProtocol.CHUNK_HEADER_BYTES + 6 + message.length + (withOffset ? 8 : 0);
    }

    /**
     * An ERROR chunk, or ERROR_OFFSET when {@code errorOffset} is not negative, flagged DONE.
     * {@code message} is already truncated to what a 16-bit length can carry.
     */
    public static void writeErrorChunk(ByteBuf out, long cookie, int error, byte[] message, long errorOffset) {
        boolean withOffset = errorOffset >= 0;
        int payload = 6 + message.length + (withOffset ? 8 : 0);
        writeChunkHeader(out, NbdProtocol.REPLY_FLAG_DONE,
                withOffset ? NbdProtocol.REPLY_TYPE_ERROR_OFFSET : NbdProtocol.REPLY_TYPE_ERROR, cookie, payload);
        out.writeInt(error);
        out.writeShort(message.length);
        out.writeBytes(message);
        if (withOffset) {
            out.writeLong(errorOffset);
        }
    }

    /** UTF-8 of {@code text}, cut to at most {@link NbdProtocol#MAX_STRING_BYTES} on a character boundary. */
    public static byte[] truncatedUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= NbdProtocol.MAX_STRING_BYTES) {
            return bytes;
        }
        int end = NbdProtocol.MAX_STRING_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
