package io.jdrbd.replication.wire;

/**
 * The three DRBD packet header formats. All header fields are big-endian; {@code length} counts the
 * payload bytes after the header. The receiver tells the formats apart by their magic (h100 first, then
 * the 16-bit h95 magic, then h80); DRBD 9 sends h100 except for the packets of
 * {@link PacketType#alwaysH80()}.
 */
public final class Header {

    /** DRBD_MAGIC: the 32-bit magic of h80. */
    public static final int DRBD_MAGIC = 0x83740267;
    /** DRBD_MAGIC_BIG: the 16-bit magic of h95. */
    public static final int DRBD_MAGIC_BIG = 0x835A;
    /** DRBD_MAGIC_100: the 32-bit magic of h100. */
    public static final int DRBD_MAGIC_100 = 0x8620EC20;

    /** {@code struct p_header80}: magic u32, command u16, length u16. */
    public static final int H80_SIZE = 8;
    public static final int H80_MAGIC_OFFSET = 0;
    public static final int H80_COMMAND_OFFSET = 4;
    public static final int H80_LENGTH_OFFSET = 6;
    /** The 16-bit length field of h80. */
    public static final int H80_MAX_LENGTH = 0xFFFF;

    /** {@code struct p_header95}: magic u16, command u16, length u32. */
    public static final int H95_SIZE = 8;
    public static final int H95_MAGIC_OFFSET = 0;
    public static final int H95_COMMAND_OFFSET = 2;
    public static final int H95_LENGTH_OFFSET = 4;

    /** {@code struct p_header100}: magic u32, volume u16, command u16, length u32, pad u32. */
    public static final int H100_SIZE = 16;
    public static final int H100_MAGIC_OFFSET = 0;
    public static final int H100_VOLUME_OFFSET = 4;
    public static final int H100_COMMAND_OFFSET = 6;
    public static final int H100_LENGTH_OFFSET = 8;
    public static final int H100_PAD_OFFSET = 12;

    /** Bytes needed to recognise any header format (the h100 and h80 magics are 4 bytes). */
    public static final int MAGIC_PROBE_SIZE = 4;

    /** The volume number of connection-scope packets (0xFFFF in the h100 volume field). */
    public static final int CONNECTION_VOLUME = -1;

    /** Largest volume number DRBD allows (DRBD_VOLUME_MAX is 65534 since 0xFFFF means "connection"). */
    public static final int MAX_VOLUME = 65534;

    private Header() {
    }

    /** The header formats. */
    public enum Kind {
        H80(H80_SIZE), H95(H95_SIZE), H100(H100_SIZE);

        private final int size;

        Kind(int size) {
            this.size = size;
        }

        public int size() {
            return size;
        }
    }
}
