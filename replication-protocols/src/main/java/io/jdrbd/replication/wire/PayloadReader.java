package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one packet payload at absolute indexes of the receive buffer, without moving its
 * reader index. Each read names its DRBD field, so a short payload fails with e.g.
 * "P_SIZES: field max_bio_size truncated: need 4 bytes, have 1". One instance is reused by the decoder.
 */
final class PayloadReader {

    private static final byte[] NO_BYTES = new byte[0];

    private ByteBuf buffer;
    private int position;
    private int end;
    private PacketType type;
    private String lastField = "header";

    void reset(ByteBuf buffer, int start, int length, PacketType type) {
        this.buffer = buffer;
        this.position = start;
        this.end = start + length;
        this.type = type;
        this.lastField = "header";
    }

    PacketType type() {
        return type;
    }

    int remaining() {
        return end - position;
    }

    /** The absolute buffer index of the next unread byte. */
    int position() {
        return position;
    }

    ByteBuf buffer() {
        return buffer;
    }

    private int take(String field, int bytes) throws ProtocolException {
        int have = end - position;
        if (have < bytes) {
            throw new ProtocolException(type, field, "truncated: need " + bytes + " bytes, have " + have);
        }
        int index = position;
        position += bytes;
        lastField = field;
        return index;
    }

    int u8(String field) throws ProtocolException {
        return buffer.getUnsignedByte(take(field, 1));
    }

    int s8(String field) throws ProtocolException {
        return buffer.getByte(take(field, 1));
    }

    int u16(String field) throws ProtocolException {
        return buffer.getUnsignedShort(take(field, 2));
    }

    /** A big-endian 32-bit field (returned as the raw int). */
    int u32(String field) throws ProtocolException {
        return buffer.getInt(take(field, 4));
    }

    /** A big-endian 64-bit field. */
    long u64(String field) throws ProtocolException {
        return buffer.getLong(take(field, 8));
    }

    /** An opaque 32-bit handle, read little-endian so that writing it back little-endian keeps the bytes. */
    int opaque32(String field) throws ProtocolException {
        return buffer.getIntLE(take(field, 4));
    }

    /** An opaque 64-bit handle (block_id), read little-endian. */
    long opaque64(String field) throws ProtocolException {
        return buffer.getLongLE(take(field, 8));
    }

    void skip(String field, int bytes) throws ProtocolException {
        take(field, bytes);
    }

    byte[] bytes(String field, int bytes) throws ProtocolException {
        int index = take(field, bytes);
        if (bytes == 0) {
            return NO_BYTES;
        }
        byte[] copy = new byte[bytes];
        buffer.getBytes(index, copy);
        return copy;
    }

    /** All remaining bytes, which must number between min and max. */
    byte[] rest(String field, int min, int max) throws ProtocolException {
        int have = remaining();
        if (have < min) {
            throw new ProtocolException(type, field, "truncated: need " + min + " bytes, have " + have);
        }
        if (have > max) {
            throw new ProtocolException(type, field, "too long: " + have + " bytes, at most " + max);
        }
        return bytes(field, have);
    }

    /** A retained slice of {@code bytes} bytes: the zero-copy data payload. */
    ByteBuf retainedSlice(String field, int bytes) throws ProtocolException {
        return buffer.retainedSlice(take(field, bytes), bytes);
    }

    /** A NUL-terminated string filling the rest of the payload (P_PROTOCOL's integrity_alg). */
    String restString(String field) throws ProtocolException {
        return fixedString(field, Math.max(remaining(), 1));
    }

    /** A NUL-padded ASCII string field of {@code bytes} bytes; the NUL must lie inside the field. */
    String fixedString(String field, int bytes) throws ProtocolException {
        int index = take(field, bytes);
        int nul = buffer.indexOf(index, index + bytes, (byte) 0);
        if (nul < 0) {
            throw new ProtocolException(type, field, "is not NUL-terminated within " + bytes + " bytes");
        }
        for (int i = index; i < nul; i++) {
            byte b = buffer.getByte(i);
            if (b < 0x20 || b == 0x7F) {
                throw new ProtocolException(type, field, String.format("contains the byte 0x%02x", b & 0xFF));
            }
        }
        return buffer.toString(index, nul - index, StandardCharsets.US_ASCII);
    }

    /** Fails if bytes remain after the last field of a fixed layout. */
    void expectEnd() throws ProtocolException {
        if (position != end) {
            throw new ProtocolException(type, null,
                    (end - position) + " unexpected bytes after field " + lastField);
        }
    }
}
