package io.jdrbd.sim;

import io.netty.buffer.ByteBuf;

/**
 * The stamp a simulated write puts on every 512-byte sector it writes, so that any read (or a look
 * at a disk) names the write it saw: magic, client, sequence, the absolute sector number (a
 * misdirected write is caught), then a filler derived from all three (corruption is caught). A
 * 4 KiB block whose sectors carry different tags is torn.
 *
 * <p>A tag is one {@code long}: client in the top 16 bits, sequence in the low 48.
 */
public final class BlockTag {
    public static final int BLOCK_BYTES = 4096;
    private static final int SECTOR_BYTES = 512;
    private static final int MAGIC = 0x4A44534D; // "JDSM"
    private static final int HEADER_BYTES = 24;

    /** The tag of the zero (never written) content. */
    public static final long ZERO = 0;
    /** A block whose sectors disagree (torn) or whose bytes match no tag (corrupt or misdirected). */
    public static final long DAMAGED = -1;

    private BlockTag() {
    }

    public static long tag(int client, long sequence) {
        if (client < 0 || client >= (1 << 15)) {
            throw new IllegalArgumentException("client out of range: " + client);
        }
        if (sequence <= 0 || sequence >= (1L << 48)) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        return ((long) client << 48) | sequence;
    }

    public static int client(long tag) {
        return (int) (tag >>> 48);
    }

    public static long sequence(long tag) {
        return tag & ((1L << 48) - 1);
    }

    public static String format(long tag) {
        if (tag == ZERO) {
            return "zero";
        }
        if (tag == DAMAGED) {
            return "damaged";
        }
        return "c" + client(tag) + "#" + sequence(tag);
    }

    /** Writes {@code blockCount} stamped blocks for a write at {@code offsetBytes} into {@code target}. */
    public static void stamp(ByteBuf target, long tag, long offsetBytes, int blockCount) {
        int length = blockCount * BLOCK_BYTES;
        target.ensureWritable(length);
        boolean direct = target.hasArray();
        byte[] bytes = direct ? target.array() : new byte[length];
        int base = direct ? target.arrayOffset() + target.writerIndex() : 0;
        long firstSector = offsetBytes / SECTOR_BYTES;
        for (int i = 0; i < length / SECTOR_BYTES; i++) {
            stampSector(bytes, base + i * SECTOR_BYTES, tag, firstSector + i);
        }
        if (direct) {
            target.writerIndex(target.writerIndex() + length);
        } else {
            target.writeBytes(bytes);
        }
    }

    private static void stampSector(byte[] bytes, int from, long tag, long sector) {
        putInt(bytes, from, MAGIC);
        putInt(bytes, from + 4, client(tag));
        putLong(bytes, from + 8, sequence(tag));
        putLong(bytes, from + 16, sector);
        long filler = SimRandom.splitmix(tag ^ (sector * 0x9E3779B97F4A7C15L));
        putLong(bytes, from + HEADER_BYTES, filler);
        // repeat the filler by doubling copies (the workload stamps every write: keep it cheap)
        for (int filled = 8; filled < SECTOR_BYTES - HEADER_BYTES; filled *= 2) {
            int count = Math.min(filled, SECTOR_BYTES - HEADER_BYTES - filled);
            System.arraycopy(bytes, from + HEADER_BYTES, bytes, from + HEADER_BYTES + filled, count);
        }
    }

    private static void putInt(byte[] b, int i, int value) {
        b[i] = (byte) (value >>> 24);
        b[i + 1] = (byte) (value >>> 16);
        b[i + 2] = (byte) (value >>> 8);
        b[i + 3] = (byte) value;
    }

    private static void putLong(byte[] b, int i, long value) {
        putInt(b, i, (int) (value >>> 32));
        putInt(b, i + 4, (int) value);
    }

    /**
     * Decodes one 4 KiB block at {@code offsetBytes} (the block's absolute position): the tag of the
     * write it holds, {@link #ZERO} when all zero, or {@link #DAMAGED}.
     */
    public static long decode(byte[] block, int from, long offsetBytes) {
        long first = decodeSector(block, from, offsetBytes / SECTOR_BYTES);
        for (int i = 1; i < BLOCK_BYTES / SECTOR_BYTES; i++) {
            long next = decodeSector(block, from + i * SECTOR_BYTES, offsetBytes / SECTOR_BYTES + i);
            if (next != first) {
                return DAMAGED;
            }
        }
        return first;
    }

    private static long decodeSector(byte[] bytes, int from, long sector) {
        int magic = getInt(bytes, from);
        if (magic != MAGIC) {
            for (int i = 0; i < SECTOR_BYTES; i++) {
                if (bytes[from + i] != 0) {
                    return DAMAGED;
                }
            }
            return ZERO;
        }
        int client = getInt(bytes, from + 4);
        long sequence = getLong(bytes, from + 8);
        long storedSector = getLong(bytes, from + 16);
        if (client < 0 || client >= (1 << 15) || sequence <= 0 || sequence >= (1L << 48) || storedSector != sector) {
            return DAMAGED;
        }
        long tag = ((long) client << 48) | sequence;
        long filler = SimRandom.splitmix(tag ^ (sector * 0x9E3779B97F4A7C15L));
        for (int j = HEADER_BYTES; j < SECTOR_BYTES; j += 8) {
            if (getLong(bytes, from + j) != filler) {
                return DAMAGED;
            }
        }
        return tag;
    }

    private static int getInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int i) {
        return ((long) getInt(b, i) << 32) | (getInt(b, i + 4) & 0xFFFFFFFFL);
    }
}
