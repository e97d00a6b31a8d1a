package io.jdrbd.replication.wire;

/** Bits of {@code uuid_flags} in P_UUIDS110 ({@code UUID_FLAG_*}). */
public final class UuidFlags {

    public static final long UUID_FLAG_DISCARD_MY_DATA = 0x1L;
    public static final long UUID_FLAG_CRASHED_PRIMARY = 0x2L;
    public static final long UUID_FLAG_INCONSISTENT = 0x4L;
    public static final long UUID_FLAG_SKIP_INITIAL_SYNC = 0x8L;
    public static final long UUID_FLAG_NEW_DATAGEN = 0x10L;
    public static final long UUID_FLAG_STABLE = 0x20L;
    public static final long UUID_FLAG_GOT_STABLE = 0x40L;
    public static final long UUID_FLAG_RESYNC = 0x80L;
    public static final long UUID_FLAG_RECONNECT = 0x100L;
    public static final long UUID_FLAG_DISKLESS_PRIMARY = 0x200L;
    public static final long UUID_FLAG_PRIMARY_LOST_QUORUM = 0x400L;
    public static final long UUID_FLAG_SYNC_TARGET = 0x800L;
    public static final long UUID_FLAG_HAS_UNALLOC = 0x1000L;
    /** Bits 56…63: with HAS_UNALLOC, the node id whose bitmap UUID has no allocated bitmap slot. */
    public static final int UUID_FLAG_UNALLOC_SHIFT = 56;
    /** The bits a DRBD 8.4 peer understands (P_UUIDS). */
    public static final long UUID_FLAG_MASK_COMPAT_84 = 0xFL;

    private UuidFlags() {
    }
}
