package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;

/**
 * One transmission-phase request as decoded from the wire. {@code offset} is the unsigned 64-bit
 * field as a {@code long} (compare with {@link Long#compareUnsigned}); {@code lengthBytes} is the
 * unsigned 32-bit field. For a WRITE, {@code payload} is a retained slice of the receive buffer
 * (released by whoever finishes the request), or {@code null} when the payload exceeded the
 * maximum and was discarded unread ({@link #payloadDiscarded()}).
 */
public final class NbdRequest {
    private final int flags;
    private final int type;
    private final long cookie;
    private final long offset;
    private final long lengthBytes;
    private ByteBuf payload;
    private final boolean payloadDiscarded;

    public NbdRequest(int flags, int type, long cookie, long offset, long lengthBytes, ByteBuf payload,
                      boolean payloadDiscarded) {
        this.flags = flags;
        this.type = type;
        this.cookie = cookie;
        this.offset = offset;
        this.lengthBytes = lengthBytes;
        this.payload = payload;
        this.payloadDiscarded = payloadDiscarded;
    }

    public int flags() {
        return flags;
    }

    public int type() {
        return type;
    }

    public long cookie() {
        return cookie;
    }

    public long offset() {
        return offset;
    }

    public long lengthBytes() {
        return lengthBytes;
    }

    public ByteBuf payload() {
        return payload;
    }

    public boolean payloadDiscarded() {
        return payloadDiscarded;
    }

    /** Releases the payload, if any; safe to call more than once. */
    public void releasePayload() {
        ByteBuf held = payload;
        payload = null;
        if (held != null) {
            held.release();
        }
    }

    @Override
    public String toString() {
        return NbdProtocol.commandName(type) + " flags=0x" + Integer.toHexString(flags) + " cookie=0x"
                + Long.toHexString(cookie) + " offset=" + Long.toUnsignedString(offset) + " length=" + lengthBytes;
    }
}
