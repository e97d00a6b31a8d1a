package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** The client's side of the wire, for tests: encodes options and requests, decodes replies. */
final class ClientWire {
    private ClientWire() {
    }

    /** An option reply as the server sent it. */
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One reply message: a simple reply (chunkType -1) or one structured chunk. */
    record Reply(boolean structured, int flags, int chunkType, long cookie, int error, byte[] payload) {
        boolean done() {
            return !structured || (flags & NbdProtocol.REPLY_FLAG_DONE) != 0;
        }
    }

    static ByteBuf clientFlags(int flags) {
        return Unpooled.buffer(4).writeInt(flags);
    }

    static ByteBuf option(int option, byte[] data) {
        ByteBuf out = Unpooled.buffer(16 + data.length);
        out.writeLong(NbdProtocol.IHAVEOPT).writeInt(option).writeInt(data.length).writeBytes(data);
        return out;
    }

    static byte[] infoData(String name, int... infos) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer();
        out.writeInt(nameBytes.length).writeBytes(nameBytes).writeShort(infos.length);
        for (int info : infos) {
            out.writeShort(info);
        }
        return bytes(out);
    }

    static byte[] metaData(String name, String... queries) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer();
        out.writeInt(nameBytes.length).writeBytes(nameBytes).writeInt(queries.length);
        for (String query : queries) {
            byte[] q = query.getBytes(StandardCharsets.UTF_8);
            out.writeInt(q.length).writeBytes(q);
        }
        return bytes(out);
    }

    static ByteBuf request(int flags, int type, long cookie, long offset, long length, byte[] payload) {
        ByteBuf out = Unpooled.buffer(28 + (payload == null ? 0 : payload.length));
        out.writeInt(NbdProtocol.REQUEST_MAGIC).writeShort(flags).writeShort(type).writeLong(cookie)
                .writeLong(offset).writeInt((int) length);
        if (payload != null) {
            out.writeBytes(payload);
        }
        return out;
    }

    /** Reads one option reply, or returns null if {@code in} does not hold a whole one. */
    static OptionReply readOptionReply(ByteBuf in) {
        if (in.readableBytes() < 20) {
            return null;
        }
        int length = in.getInt(in.readerIndex() + 16);
        if (in.readableBytes() < 20 + length) {
            return null;
        }
        long magic = in.readLong();
        if (magic != NbdProtocol.OPTION_REPLY_MAGIC) {
            throw new AssertionError("bad option reply magic 0x" + Long.toHexString(magic));
        }
        int option = in.readInt();
        int type = in.readInt();
        in.readInt();
        byte[] data = new byte[length];
        in.readBytes(data);
        return new OptionReply(option, type, data);
    }

    /**
     * Reads one reply; a simple reply to a READ carries {@code readLength} bytes of data when its
     * error is 0. Returns null if {@code in} does not hold a whole reply.
     */
    static Reply readReply(ByteBuf in, int readLength) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int magic = in.getInt(in.readerIndex());
        if (magic == NbdProtocol.SIMPLE_REPLY_MAGIC) {
            if (in.readableBytes() < 16) {
                return null;
            }
            int error = in.getInt(in.readerIndex() + 4);
            int dataLength = error == 0 ? readLength : 0;
            if (in.readableBytes() < 16 + dataLength) {
                return null;
            }
            in.skipBytes(8);
            long cookie = in.readLong();
            byte[] data = new byte[dataLength];
            in.readBytes(data);
            return new Reply(false, 0, -1, cookie, error, data);
        }
        if (magic != NbdProtocol.STRUCTURED_REPLY_MAGIC) {
            throw new AssertionError("bad reply magic 0x" + Integer.toHexString(magic));
        }
        if (in.readableBytes() < 20) {
            return null;
        }
        int length = in.getInt(in.readerIndex() + 16);
        if (in.readableBytes() < 20 + length) {
            return null;
        }
        in.skipBytes(4);
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        in.readInt();
        byte[] payload = new byte[length];
        in.readBytes(payload);
        int error = (type & 0x8000) != 0 ? Unpooled.wrappedBuffer(payload).getInt(0) : 0;
        return new Reply(true, flags, type, cookie, error, payload);
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }
}
