package io.jdrbd.replication.wire;

/**
 * The RLE_VLI_Bits coding of P_COMPRESSED_BITMAP (wire reference §5.3): alternating runs of clear and
 * set bitmap bits, each run length coded as a variable-length integer of 2…64 bits, packed least
 * significant bit first. Each packet starts at the bit offset where the previous bitmap packet ended
 * and carries its own start polarity and the number of unused pad bits in its last byte.
 */
public final class CompressedBitmapCodec {

    /** Longest code word (level 10: 8 prefix bits + 56 data bits). */
    static final int MAX_CODE_BITS = 64;

    /** The VLI levels: prefix value (stream order = low bits first), prefix length, data bits, base. */
    private static final int[] PREFIX = {0x00, 0x01, 0x03, 0x07, 0x0F, 0x1F, 0x3F, 0x7F, 0xBF, 0xFF};
    private static final int[] PREFIX_BITS = {1, 2, 3, 4, 5, 6, 8, 8, 8, 8};
    private static final int[] DATA_BITS = {1, 1, 2, 3, 5, 8, 13, 21, 34, 56};
    private static final long[] BASE = new long[PREFIX.length];

    static {
        long base = 1;
        for (int level = 0; level < PREFIX.length; level++) {
            BASE[level] = base;
            base += 1L << DATA_BITS[level];
        }
    }

    /** The largest run length the coding can express. */
    public static final long MAX_RUN = BASE[PREFIX.length - 1] + (1L << DATA_BITS[PREFIX.length - 1]) - 1;

    private CompressedBitmapCodec() {
    }

    /** Receives the runs of set bits a packet describes. */
    @FunctionalInterface
    public interface SetRunSink {
        void accept(long firstBit, long length);
    }

    /** One encoded packet and the bit offset the next bitmap packet starts at. */
    public record Encoded(CompressedBitmapPacket packet, long nextBit) {
    }

    /**
     * Encodes as many runs starting at {@code fromBit} as fit in a payload of {@code maxPayloadBytes}
     * (encoding byte included; at most {@link Limits#MAX_CONTROL_PAYLOAD_BYTES}), or returns a null
     * packet when {@code fromBit} is already the end of the bitmap.
     */
    public static Encoded encode(int volume, BitmapView bitmap, long fromBit, int maxPayloadBytes) {
        if (maxPayloadBytes < 1 + MAX_CODE_BITS / 8 || maxPayloadBytes > Limits.MAX_CONTROL_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload limit " + maxPayloadBytes + " outside 9.."
                    + Limits.MAX_CONTROL_PAYLOAD_BYTES);
        }
        long end = bitmap.bitCount();
        if (fromBit >= end) {
            return new Encoded(null, end);
        }
        boolean firstRunSet = bitmap.get(fromBit);
        BitWriter writer = new BitWriter(maxPayloadBytes - 1);
        long bit = fromBit;
        boolean set = firstRunSet;
        while (bit < end) {
            long runEnd = set ? bitmap.nextClearBit(bit) : bitmap.nextSetBit(bit);
            long run = Math.min(runEnd, end) - bit;
            run = Math.min(run, MAX_RUN);
            int level = levelOf(run);
            int bits = PREFIX_BITS[level] + DATA_BITS[level];
            if (!writer.fits(bits)) {
                break;
            }
            writer.write(((run - BASE[level]) << PREFIX_BITS[level]) | PREFIX[level], bits);
            bit += run;
            set = !set;
        }
        int padBits = (8 - (int) (writer.bitLength() % 8)) % 8;
        int encoding = CompressedBitmapPacket.encodingByte(CompressedBitmapPacket.RLE_VLI_BITS, padBits,
                firstRunSet);
        return new Encoded(new CompressedBitmapPacket(volume, encoding, writer.toBytes()), bit);
    }

    /**
     * Applies one received packet that starts at {@code fromBit} of a bitmap of {@code bitCount} bits:
     * reports every run of set bits and returns the bit offset where the packet ended.
     */
    public static long decode(CompressedBitmapPacket packet, long fromBit, long bitCount, SetRunSink sink)
            throws ProtocolException {
        if (packet.encodingKind() != CompressedBitmapPacket.RLE_VLI_BITS) {
            throw error("encoding", "is " + packet.encodingKind() + ", expected 2 (RLE_VLI_Bits)");
        }
        byte[] code = packet.code();
        long validBits = 8L * code.length - packet.padBits();
        BitReader reader = new BitReader(code, validBits);
        long bit = fromBit;
        boolean set = packet.firstRunSet();
        while (reader.remaining() > 0) {
            long run = readRun(reader);
            if (run > bitCount - bit) {
                throw error("code", "run of " + run + " bits at bit " + bit + " passes the end of the bitmap ("
                        + bitCount + " bits)");
            }
            if (set) {
                sink.accept(bit, run);
            }
            bit += run;
            set = !set;
        }
        return bit;
    }

    private static long readRun(BitReader reader) throws ProtocolException {
        long peek = reader.peek();
        for (int level = 0; level < PREFIX.length; level++) {
            int prefixBits = PREFIX_BITS[level];
            if ((peek & ((1L << prefixBits) - 1)) != PREFIX[level]) {
                continue;
            }
            int total = prefixBits + DATA_BITS[level];
            if (total > reader.remaining()) {
                throw error("code", "code word of " + total + " bits truncated: " + reader.remaining()
                        + " valid bits left");
            }
            long data = total == 64 ? peek >>> prefixBits : (peek >>> prefixBits) & ((1L << DATA_BITS[level]) - 1);
            reader.skip(total);
            return data + BASE[level];
        }
        throw new IllegalStateException("the prefix table covers every bit pattern");
    }

    private static int levelOf(long run) {
        for (int level = PREFIX.length - 1; level > 0; level--) {
            if (run >= BASE[level]) {
                return level;
            }
        }
        return 0;
    }

    private static ProtocolException error(String field, String message) {
        return new ProtocolException(PacketType.P_COMPRESSED_BITMAP, field, message);
    }

    /** Packs code words least significant bit first into at most {@code capacityBytes} bytes. */
    private static final class BitWriter {
        private final byte[] bytes;
        private long bitLength;

        BitWriter(int capacityBytes) {
            this.bytes = new byte[capacityBytes];
        }

        boolean fits(int bits) {
            return bitLength + bits <= 8L * bytes.length;
        }

        void write(long value, int bits) {
            for (int i = 0; i < bits; i++) {
                if (((value >>> i) & 1) != 0) {
                    long position = bitLength + i;
                    bytes[(int) (position >>> 3)] |= (byte) (1 << (position & 7));
                }
            }
            bitLength += bits;
        }

        long bitLength() {
            return bitLength;
        }

        byte[] toBytes() {
            return java.util.Arrays.copyOf(bytes, (int) ((bitLength + 7) >>> 3));
        }
    }

    /** Reads the valid stream bits of a packet; bits past the end read as zero. */
    private static final class BitReader {
        private final byte[] bytes;
        private final long validBits;
        private long position;

        BitReader(byte[] bytes, long validBits) {
            this.bytes = bytes;
            this.validBits = Math.max(0, validBits);
        }

        long remaining() {
            return validBits - position;
        }

        /** The next up to 64 valid bits, stream bit 0 as bit 0. */
        long peek() {
            long value = 0;
            long available = Math.min(MAX_CODE_BITS, remaining());
            for (int i = 0; i < available; i++) {
                long at = position + i;
                if ((bytes[(int) (at >>> 3)] & (1 << (at & 7))) != 0) {
                    value |= 1L << i;
                }
            }
            return value;
        }

        void skip(int bits) {
            position += bits;
        }
    }
}
