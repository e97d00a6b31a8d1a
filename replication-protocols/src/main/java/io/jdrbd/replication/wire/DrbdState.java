package io.jdrbd.replication.wire;

/**
 * A {@code union drbd_state} word as sent in P_STATE and as the mask/val of state-change requests.
 * Bits 24…31 are unused (zero when sent, ignored when received).
 */
public record DrbdState(int word) {

    /** The mask selecting every field: what a P_STATE conveys. */
    public static final DrbdState ALL = new DrbdState(0x00FFFFFF);

    /** An empty word, to build from with {@link #with}. */
    public static final DrbdState ZERO = new DrbdState(0);

    /** The usual five fields of a P_STATE; the flag bits are zero. */
    public static DrbdState of(Role role, Role peer, ConnState conn, DiskState disk, DiskState pdsk) {
        return ZERO.with(StateField.ROLE, role.code()).with(StateField.PEER, peer.code())
                .with(StateField.CONN, conn.code()).with(StateField.DISK, disk.code())
                .with(StateField.PDSK, pdsk.code());
    }

    /** A copy with {@code field} set to {@code value}. */
    public DrbdState with(StateField field, int value) {
        return new DrbdState(field.set(word, value));
    }

    /** A copy with a one-bit {@code field} set or cleared. */
    public DrbdState with(StateField field, boolean value) {
        return with(field, value ? 1 : 0);
    }

    public int get(StateField field) {
        return field.get(word);
    }

    public boolean isSet(StateField field) {
        return field.get(word) != 0;
    }

    /** The sender's role, or {@code null} for a code DRBD does not define. */
    public Role role() {
        return Role.fromCode(get(StateField.ROLE));
    }

    public Role peer() {
        return Role.fromCode(get(StateField.PEER));
    }

    public ConnState conn() {
        return ConnState.fromCode(get(StateField.CONN));
    }

    public DiskState disk() {
        return DiskState.fromCode(get(StateField.DISK));
    }

    public DiskState pdsk() {
        return DiskState.fromCode(get(StateField.PDSK));
    }

    /** A mask word selecting the given fields (all ones in each). */
    public static DrbdState maskOf(StateField... fields) {
        int word = 0;
        for (StateField field : fields) {
            word |= field.mask();
        }
        return new DrbdState(word);
    }

    @Override
    public String toString() {
        return String.format("DrbdState[0x%08x role=%s peer=%s conn=%s disk=%s pdsk=%s]", word, role(), peer(),
                conn(), disk(), pdsk());
    }
}
