package io.jdrbd.replication.wire;

/**
 * The {@code o_qlim} tail of P_SIZES, present iff DRBD_FF_WSAME was agreed (24 bytes).
 *
 * @param bmBlockShiftMinus12 bitmap block = 4 KiB &lt;&lt; n (meaningful with DRBD_FF_BM_BLOCK_SHIFT)
 */
public record QueueLimits(int physicalBlockSize, int logicalBlockSize, int alignmentOffset, int ioMin, int ioOpt,
                          int discardEnabled, int discardZeroesData, int writeSameCapable,
                          int bmBlockShiftMinus12) {

    public QueueLimits {
        requireByte(discardEnabled, "discard_enabled");
        requireByte(discardZeroesData, "discard_zeroes_data");
        requireByte(writeSameCapable, "write_same_capable");
        requireByte(bmBlockShiftMinus12, "bm_block_shift_minus_12");
    }

    private static void requireByte(int value, String field) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + " " + value + " does not fit in a u8");
        }
    }
}
