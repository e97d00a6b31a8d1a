package io.jdrbd.proxy;

import io.jdrbd.replication.wire.Header;
import io.jdrbd.replication.wire.PacketType;
import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;

/**
 * Follows a DRBD byte stream through its packet headers (h80, h95, h100, told apart by magic) and
 * counts packets per {@link PacketType}, for {@code list details}. It only reads; the relay forwards
 * the bytes whatever they are. On bytes that are not a DRBD header it stops counting for good
 * (a proxy must stay transparent, so a foreign stream is carried, just not counted).
 */
final class PacketCounter {

    private final long[] counts = new long[PacketType.values().length];
    private final byte[] header = new byte[Header.H100_SIZE];
    private int headerFill;
    private long payloadLeft;
    private boolean lost;
    private long unknownCommands;

    /** Looks at {@code bytes} without consuming them. Runs on the tunnel's event loop. */
    void scan(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (at < end && !lost) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - at);
                at += skip;
                payloadLeft -= skip;
                continue;
            }
            header[headerFill++] = bytes.getByte(at++);
            if (headerFill >= Header.H80_SIZE) {
                headerComplete();
            }
        }
    }

    private void headerComplete() {
        int magic32 = int32(0);
        int magic16 = ((header[0] & 0xff) << 8) | (header[1] & 0xff);
        int command;
        long length;
        if (magic32 == Header.DRBD_MAGIC_100) {
            if (headerFill < Header.H100_SIZE) {
                return;
            }
            command = uint16(Header.H100_COMMAND_OFFSET);
            length = int32(Header.H100_LENGTH_OFFSET) & 0xffffffffL;
        } else if (magic32 == Header.DRBD_MAGIC) {
            command = uint16(Header.H80_COMMAND_OFFSET);
            length = uint16(Header.H80_LENGTH_OFFSET);
        } else if (magic16 == Header.DRBD_MAGIC_BIG) {
            command = uint16(Header.H95_COMMAND_OFFSET);
            length = int32(Header.H95_LENGTH_OFFSET) & 0xffffffffL;
        } else {
            lost = true;
            return;
        }
        PacketType type = PacketType.fromCode(command);
        if (type == null) {
            unknownCommands++;
        } else {
            counts[type.ordinal()]++;
        }
        payloadLeft = length;
        headerFill = 0;
    }

    private int int32(int offset) {
        return ((header[offset] & 0xff) << 24) | ((header[offset + 1] & 0xff) << 16)
                | ((header[offset + 2] & 0xff) << 8) | (header[offset + 3] & 0xff);
    }

    private int uint16(int offset) {
        return ((header[offset] & 0xff) << 8) | (header[offset + 1] & 0xff);
    }

    /** Packets seen so far per type (only types seen), in DRBD's command order. */
    Map<PacketType, Long> counts() {
        Map<PacketType, Long> result = new EnumMap<>(PacketType.class);
        for (PacketType type : PacketType.values()) {
            if (counts[type.ordinal()] > 0) {
                result.put(type, counts[type.ordinal()]);
            }
        }
        return result;
    }

    long unknownCommands() {
        return unknownCommands;
    }

    /** The stream stopped looking like DRBD packets; counting stopped there. */
    boolean lost() {
        return lost;
    }
}
