package io.jdrbd.metadata;

import java.nio.ByteBuffer;

/**
 * The 4096-byte activity-log transaction block ({@code struct al_transaction_on_disk},
 * big-endian, drbd-metadata.md §3.2) with DRBD's CRC-32C.
 */
public final class AlTransactionCodec {
    public static final int MAGIC = 0x69CB65A2;
    public static final int TYPE_UPDATE = 0;
    public static final int TYPE_INITIALIZED = 0xFFFF;
    public static final int UPDATES = 64;
    public static final int CONTEXT = 919;
    /** Slot numbers are 16-bit and 0xFFFF means "none": at most 65534 slots. */
    public static final int MAX_SLOTS = 65534;
    public static final long LC_FREE = 0xFFFFFFFFL;
    public static final int NO_SLOT = 0xFFFF;

    static final int OFF_MAGIC = 0;
    static final int OFF_TR_NUMBER = 4;
    static final int OFF_CRC = 8;
    static final int OFF_TYPE = 12;
    static final int OFF_N_UPDATES = 14;
    static final int OFF_CONTEXT_SIZE = 16;
    static final int OFF_CONTEXT_START = 18;
    static final int OFF_UPDATE_SLOTS = 36;
    static final int OFF_UPDATE_EXTENTS = 164;
    static final int OFF_CONTEXT = 420;

    private AlTransactionCodec() {
    }

    /** A decoded, checksum-verified block. Extents are unsigned 32-bit values in longs. */
    public record AlBlock(int trNumber, int type, int nUpdates, int contextSize, int contextStartSlot,
                          int[] updateSlots, long[] updateExtents, long[] context) {
        public boolean isUpdate() {
            return type == TYPE_UPDATE;
        }
    }

    /** The INITIALIZED block that create-md and apply-al write into every ring position. */
    public static byte[] initializedBlock() {
        byte[] block = new byte[MetadataLayout.BLOCK_BYTES];
        ByteBuffer out = ByteBuffer.wrap(block);
        out.putInt(OFF_MAGIC, MAGIC);
        out.putShort(OFF_TYPE, (short) TYPE_INITIALIZED);
        out.putInt(OFF_CRC, DrbdCrc32c.ofBlock(out));
        return block;
    }

    /**
     * An update transaction: {@code nUpdates} (slot, extent) pairs, and the context window of
     * {@code context.length <= 919} slot values starting at {@code contextStartSlot}.
     */
    public static byte[] encodeUpdate(int trNumber, int nUpdates, int[] updateSlots, long[] updateExtents,
                                      int contextSize, int contextStartSlot, long[] context) {
        return encodeUpdate(trNumber, nUpdates, updateSlots, updateExtents, contextSize, contextStartSlot, context,
                context.length);
    }

    /** As above, with only the first {@code contextLength} entries of {@code context} used. */
    public static byte[] encodeUpdate(int trNumber, int nUpdates, int[] updateSlots, long[] updateExtents,
                                      int contextSize, int contextStartSlot, long[] context, int contextLength) {
        if (nUpdates > UPDATES || contextLength > CONTEXT) {
            throw new IllegalArgumentException("too many entries: " + nUpdates + " updates, "
                    + contextLength + " context");
        }
        byte[] block = new byte[MetadataLayout.BLOCK_BYTES];
        ByteBuffer out = ByteBuffer.wrap(block);
        out.putInt(OFF_MAGIC, MAGIC);
        out.putInt(OFF_TR_NUMBER, trNumber);
        out.putShort(OFF_TYPE, (short) TYPE_UPDATE);
        out.putShort(OFF_N_UPDATES, (short) nUpdates);
        out.putShort(OFF_CONTEXT_SIZE, (short) contextSize);
        out.putShort(OFF_CONTEXT_START, (short) contextStartSlot);
        for (int i = 0; i < UPDATES; i++) {
            boolean used = i < nUpdates;
            out.putShort(OFF_UPDATE_SLOTS + 2 * i, (short) (used ? updateSlots[i] : NO_SLOT));
            out.putInt(OFF_UPDATE_EXTENTS + 4 * i, (int) (used ? updateExtents[i] : LC_FREE));
        }
        for (int i = 0; i < CONTEXT; i++) {
            out.putInt(OFF_CONTEXT + 4 * i, (int) (i < contextLength ? context[i] : LC_FREE));
        }
        out.putInt(OFF_CRC, DrbdCrc32c.ofBlock(out));
        return block;
    }

    /**
     * Decodes and verifies one block.
     *
     * @param where names the block in errors ("al ring position 3")
     * @throws MetadataFormatException naming the field at fault (magic, crc, n-updates, ...)
     */
    public static AlBlock decode(byte[] block, String where) throws MetadataFormatException {
        if (block.length != MetadataLayout.BLOCK_BYTES) {
            throw new MetadataFormatException(where, "needs 4096 bytes, got " + block.length);
        }
        ByteBuffer in = ByteBuffer.wrap(block);
        int magic = in.getInt(OFF_MAGIC);
        if (magic != MAGIC) {
            throw new MetadataFormatException(where + " magic", String.format("0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int stored = in.getInt(OFF_CRC);
        byte[] copy = block.clone();
        ByteBuffer zeroed = ByteBuffer.wrap(copy).putInt(OFF_CRC, 0);
        int computed = DrbdCrc32c.ofBlock(zeroed.clear());
        if (stored != computed) {
            throw new MetadataFormatException(where + " crc32c",
                    String.format("stored 0x%08X, computed 0x%08X", stored, computed));
        }
        int type = Short.toUnsignedInt(in.getShort(OFF_TYPE));
        int nUpdates = Short.toUnsignedInt(in.getShort(OFF_N_UPDATES));
        int contextSize = Short.toUnsignedInt(in.getShort(OFF_CONTEXT_SIZE));
        int contextStart = Short.toUnsignedInt(in.getShort(OFF_CONTEXT_START));
        if (type != TYPE_UPDATE && type != TYPE_INITIALIZED) {
            throw new MetadataFormatException(where + " transaction-type", "unknown type " + type);
        }
        if (nUpdates > UPDATES) {
            throw new MetadataFormatException(where + " n-updates", nUpdates + " > " + UPDATES);
        }
        int[] slots = new int[UPDATES];
        long[] extents = new long[UPDATES];
        for (int i = 0; i < UPDATES; i++) {
            slots[i] = Short.toUnsignedInt(in.getShort(OFF_UPDATE_SLOTS + 2 * i));
            extents[i] = Integer.toUnsignedLong(in.getInt(OFF_UPDATE_EXTENTS + 4 * i));
        }
        long[] context = new long[CONTEXT];
        for (int i = 0; i < CONTEXT; i++) {
            context[i] = Integer.toUnsignedLong(in.getInt(OFF_CONTEXT + 4 * i));
        }
        return new AlBlock(in.getInt(OFF_TR_NUMBER), type, nUpdates, contextSize, contextStart, slots, extents,
                context);
    }
}
