package io.jdrbd.replication.wire;

/** {@code enum drbd_disk_state}, DRBD 9 numbering (with D_DETACHING = 2). */
public enum DiskState {
    DISKLESS(0, "Diskless"),
    ATTACHING(1, "Attaching"),
    DETACHING(2, "Detaching"),
    FAILED(3, "Failed"),
    NEGOTIATING(4, "Negotiating"),
    INCONSISTENT(5, "Inconsistent"),
    OUTDATED(6, "Outdated"),
    DUNKNOWN(7, "DUnknown"),
    CONSISTENT(8, "Consistent"),
    UP_TO_DATE(9, "UpToDate");

    private final int code;
    private final String drbdName;

    DiskState(int code, String drbdName) {
        this.code = code;
        this.drbdName = drbdName;
    }

    public int code() {
        return code;
    }

    public String drbdName() {
        return drbdName;
    }

    /** The state with this code, or {@code null}. */
    public static DiskState fromCode(int code) {
        DiskState[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
