package io.jdrbd.replication.wire;

/**
 * The bit-fields of {@code union drbd_state}: positions of the little-endian C bit-field layout, the
 * whole word sent big-endian. Used by P_STATE and by the mask/val words of state-change requests.
 */
public enum StateField {
    ROLE(0, 2),
    PEER(2, 2),
    CONN(4, 5),
    DISK(9, 4),
    PDSK(13, 4),
    SUSP(17, 1),
    AFTR_ISP(18, 1),
    PEER_ISP(19, 1),
    USER_ISP(20, 1),
    SUSP_NOD(21, 1),
    SUSP_FEN(22, 1),
    QUORUM(23, 1);

    private final int shift;
    private final int width;

    StateField(int shift, int width) {
        this.shift = shift;
        this.width = width;
    }

    public int shift() {
        return shift;
    }

    public int width() {
        return width;
    }

    /** The all-ones value of this field (as used in masks: e.g. 31 for conn). */
    public int maxValue() {
        return (1 << width) - 1;
    }

    /** The field's bits in place within the state word. */
    public int mask() {
        return maxValue() << shift;
    }

    /** This field's value in {@code word}. */
    public int get(int word) {
        return (word >>> shift) & maxValue();
    }

    /** {@code word} with this field set to {@code value}. */
    public int set(int word, int value) {
        if (value < 0 || value > maxValue()) {
            throw new IllegalArgumentException(this + " value " + value + " does not fit in " + width + " bits");
        }
        return (word & ~mask()) | (value << shift);
    }
}
