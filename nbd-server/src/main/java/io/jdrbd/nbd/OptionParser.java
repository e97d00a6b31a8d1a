package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the data of NBD_OPT_INFO/GO and NBD_OPT_LIST/SET_META_CONTEXT with strict length checks:
 * every declared length must fit in what remains and the data must be consumed exactly. A
 * violation is reported as an {@link InvalidOption} carrying the message for NBD_REP_ERR_INVALID.
 */
final class OptionParser {
    private OptionParser() {
    }

    /** The option's data is malformed; the message says which field and why. */
    static final class InvalidOption extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidOption(String message) {
            super(message, null, false, false);
        }
    }

    /** NBD_OPT_INFO / NBD_OPT_GO: export name and the NBD_INFO items asked for. */
    record InfoRequest(String name, int[] infoTypes) {
        boolean wants(int infoType) {
            for (int type : infoTypes) {
                if (type == infoType) {
                    return true;
                }
            }
            return false;
        }
    }

    /** NBD_OPT_LIST_META_CONTEXT / NBD_OPT_SET_META_CONTEXT: export name and queries. */
    record MetaContextRequest(String name, List<String> queries) {
    }

    static InfoRequest parseInfo(ByteBuf data) throws InvalidOption {
        int length = data.readableBytes();
        int base = data.readerIndex();
        if (length < 6) {
            throw new InvalidOption("data of " + length + " bytes is shorter than the 6-byte minimum");
        }
        long nameLength = data.getUnsignedInt(base);
        if (nameLength > length - 6) {
            throw new InvalidOption("name length " + nameLength + " exceeds the " + (length - 6) + " bytes available");
        }
        String name = readString(data, base + 4, (int) nameLength, "export name");
        int countAt = base + 4 + (int) nameLength;
        int count = data.getUnsignedShort(countAt);
        int expected = 4 + (int) nameLength + 2 + 2 * count;
        if (expected != length) {
            throw new InvalidOption("data length " + length + " does not match " + count
                    + " information requests (expected " + expected + " bytes)");
        }
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = data.getUnsignedShort(countAt + 2 + 2 * i);
        }
        return new InfoRequest(name, types);
    }

    static MetaContextRequest parseMetaContext(ByteBuf data) throws InvalidOption {
        int length = data.readableBytes();
        int base = data.readerIndex();
        if (length < 8) {
            throw new InvalidOption("data of " + length + " bytes is shorter than the 8-byte minimum");
        }
        long nameLength = data.getUnsignedInt(base);
        if (nameLength > length - 8) {
            throw new InvalidOption("name length " + nameLength + " exceeds the " + (length - 8) + " bytes available");
        }
        String name = readString(data, base + 4, (int) nameLength, "export name");
        int position = 4 + (int) nameLength;
        long count = data.getUnsignedInt(base + position);
        position += 4;
        // Each query needs at least its 4-byte length: this bounds the list before allocating it.
        if (count > (length - position) / 4) {
            throw new InvalidOption("query count " + count + " cannot fit in the remaining "
                    + (length - position) + " bytes");
        }
        List<String> queries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            if (length - position < 4) {
                throw new InvalidOption("query " + i + " is cut off at byte " + position);
            }
            long queryLength = data.getUnsignedInt(base + position);
            position += 4;
            if (queryLength > length - position) {
                throw new InvalidOption("query " + i + " length " + queryLength + " exceeds the "
                        + (length - position) + " bytes available");
            }
            queries.add(readString(data, base + position, (int) queryLength, "query " + i));
            position += (int) queryLength;
        }
        if (position != length) {
            throw new InvalidOption((length - position) + " bytes follow the last query");
        }
        return new MetaContextRequest(name, queries);
    }

    static String readString(ByteBuf data, int index, int length, String what) throws InvalidOption {
        if (length > NbdProtocol.MAX_STRING_BYTES) {
            throw new InvalidOption(what + " of " + length + " bytes exceeds the " + NbdProtocol.MAX_STRING_BYTES
                    + "-byte limit");
        }
        return data.toString(index, length, StandardCharsets.UTF_8);
    }
}
