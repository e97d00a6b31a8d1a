package io.jdrbd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the proxy-to-proxy ("outside") link. Every frame is a 9-byte header followed by a
 * payload, all big-endian:
 *
 * <pre>
 *   offset 0  u8   type      (see {@link Type})
 *   offset 1  u32  rawLength     bytes the payload stands for once decompressed (= payloadLength unless ZSTD)
 *   offset 5  u32  payloadLength bytes that follow the header
 * </pre>
 *
 * A link starts with {@code OPEN} from the connecting proxy (payload: magic u32, version u16, kind
 * u8, connection name UTF-8) and {@code OPEN_OK} from the accepting one; then {@code RAW}/{@code ZSTD}
 * blocks of one DRBD socket's byte stream in order (tunnel links), or {@code PING}/{@code PONG}
 * (probe links). The payload is a retained slice of the input, owned by the frame's consumer.
 */
public record LinkFrame(Type type, int rawLength, ByteBuf payload) {

    /** Frame types; the wire value is the ordinal plus one (0 is never valid). */
    public enum Type { OPEN, OPEN_OK, RAW, ZSTD, PING, PONG }

    /** What an outside link carries. */
    public enum LinkKind { TUNNEL, PROBE }

    public static final int HEADER_BYTES = 9;
    /** The largest payload or decompressed size accepted: bounds allocations driven by the peer. */
    public static final int MAX_PAYLOAD_BYTES = 4 << 20;
    public static final int MAGIC = 0x4a445058; // "JDPX"
    public static final int VERSION = 1;
    static final int OFFSET_RAW_LENGTH = 1;
    static final int OFFSET_PAYLOAD_LENGTH = 5;
    private static final int MAX_NAME_BYTES = 1024;

    /** Writes a header for a payload of {@code payloadLength} bytes into {@code out}. */
    public static void writeHeader(ByteBuf out, Type type, int rawLength, int payloadLength) {
        out.writeByte(type.ordinal() + 1);
        out.writeInt(rawLength);
        out.writeInt(payloadLength);
    }

    /** A complete header-only or small frame (OPEN, OPEN_OK, PING, PONG). */
    public static ByteBuf control(ByteBufAllocator alloc, Type type) {
        ByteBuf out = alloc.buffer(HEADER_BYTES);
        writeHeader(out, type, 0, 0);
        return out;
    }

    /** The OPEN frame for a link of {@code kind} belonging to connection {@code name}. */
    public static ByteBuf open(ByteBufAllocator alloc, LinkKind kind, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int length = 4 + 2 + 1 + Math.min(nameBytes.length, MAX_NAME_BYTES);
        ByteBuf out = alloc.buffer(HEADER_BYTES + length);
        writeHeader(out, Type.OPEN, length, length);
        out.writeInt(MAGIC).writeShort(VERSION).writeByte(kind.ordinal());
        out.writeBytes(nameBytes, 0, length - 7);
        return out;
    }

    /** Reads an OPEN payload: the link kind, or a {@link LinkFrameException} naming what is wrong. */
    public static LinkKind parseOpen(ByteBuf payload) {
        if (payload.readableBytes() < 7) {
            throw new LinkFrameException("OPEN payload of " + payload.readableBytes() + " bytes, need at least 7");
        }
        int magic = payload.getInt(payload.readerIndex());
        if (magic != MAGIC) {
            throw new LinkFrameException(String.format("OPEN magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int version = payload.getUnsignedShort(payload.readerIndex() + 4);
        if (version != VERSION) {
            throw new LinkFrameException("OPEN version " + version + ", this proxy speaks " + VERSION);
        }
        int kind = payload.getUnsignedByte(payload.readerIndex() + 6);
        if (kind >= LinkKind.values().length) {
            throw new LinkFrameException("OPEN link kind " + kind + " unknown");
        }
        return LinkKind.values()[kind];
    }

    /**
     * Decodes one frame from {@code in}: null (nothing consumed) when the frame is not complete yet.
     * Lengths are checked before anything is sliced; on a bad header a {@link LinkFrameException}
     * is thrown and nothing is consumed.
     */
    public static LinkFrame decode(ByteBuf in) {
        if (in.readableBytes() < HEADER_BYTES) {
            return null;
        }
        int start = in.readerIndex();
        int typeCode = in.getUnsignedByte(start);
        if (typeCode == 0 || typeCode > Type.values().length) {
            throw new LinkFrameException("frame type " + typeCode + " unknown");
        }
        Type type = Type.values()[typeCode - 1];
        long rawLength = in.getUnsignedInt(start + OFFSET_RAW_LENGTH);
        long payloadLength = in.getUnsignedInt(start + OFFSET_PAYLOAD_LENGTH);
        if (payloadLength > MAX_PAYLOAD_BYTES) {
            throw new LinkFrameException(type + " frame payload of " + payloadLength + " bytes exceeds "
                    + MAX_PAYLOAD_BYTES);
        }
        if (rawLength > MAX_PAYLOAD_BYTES) {
            throw new LinkFrameException(type + " frame raw length " + rawLength + " exceeds " + MAX_PAYLOAD_BYTES);
        }
        if (type != Type.ZSTD && rawLength != payloadLength) {
            throw new LinkFrameException(type + " frame raw length " + rawLength + " differs from payload length "
                    + payloadLength);
        }
        if (in.readableBytes() < HEADER_BYTES + payloadLength) {
            return null;
        }
        in.skipBytes(HEADER_BYTES);
        return new LinkFrame(type, (int) rawLength, in.readRetainedSlice((int) payloadLength));
    }
}
