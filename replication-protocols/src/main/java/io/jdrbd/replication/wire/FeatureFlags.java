package io.jdrbd.replication.wire;

/** Feature flag bits of P_CONNECTION_FEATURES ({@code DRBD_FF_*}). */
public final class FeatureFlags {

    public static final int DRBD_FF_TRIM = 0x001;
    public static final int DRBD_FF_THIN_RESYNC = 0x002;
    /** Also: P_SIZES carries the 24-byte {@code o_qlim} tail. */
    public static final int DRBD_FF_WSAME = 0x004;
    public static final int DRBD_FF_WZEROES = 0x008;
    public static final int DRBD_FF_RESYNC_DAGTAG = 0x010;
    public static final int DRBD_FF_2PC_V2 = 0x020;
    public static final int DRBD_FF_RS_SKIP_UUID = 0x040;
    public static final int DRBD_FF_RESYNC_WITHOUT_REPLICATION = 0x080;
    public static final int DRBD_FF_BM_BLOCK_SHIFT = 0x100;
    public static final int DRBD_FF_RECONCILE_RECONNECT = 0x200;

    private FeatureFlags() {
    }
}
