package io.jdrbd.replication.wire;

/**
 * The {@code conn} field of the state word: connection states up to Connected, replication states
 * beyond (DRBD 9 numbering, {@code enum drbd_conns}). Names are DRBD's words.
 */
public enum ConnState {
    STANDALONE(0, "StandAlone"),
    DISCONNECTING(1, "Disconnecting"),
    UNCONNECTED(2, "Unconnected"),
    TIMEOUT(3, "Timeout"),
    BROKEN_PIPE(4, "BrokenPipe"),
    NETWORK_FAILURE(5, "NetworkFailure"),
    PROTOCOL_ERROR(6, "ProtocolError"),
    TEAR_DOWN(7, "TearDown"),
    CONNECTING(8, "Connecting"),
    /** C_CONNECTED = L_OFF: connected, replication not yet established. */
    CONNECTED(9, "Connected"),
    ESTABLISHED(10, "Established"),
    STARTING_SYNC_S(11, "StartingSyncS"),
    STARTING_SYNC_T(12, "StartingSyncT"),
    WF_BITMAP_S(13, "WFBitMapS"),
    WF_BITMAP_T(14, "WFBitMapT"),
    WF_SYNC_UUID(15, "WFSyncUUID"),
    SYNC_SOURCE(16, "SyncSource"),
    SYNC_TARGET(17, "SyncTarget"),
    VERIFY_S(18, "VerifyS"),
    VERIFY_T(19, "VerifyT"),
    PAUSED_SYNC_S(20, "PausedSyncS"),
    PAUSED_SYNC_T(21, "PausedSyncT"),
    AHEAD(22, "Ahead"),
    BEHIND(23, "Behind");

    private final int code;
    private final String drbdName;

    ConnState(int code, String drbdName) {
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
    public static ConnState fromCode(int code) {
        ConnState[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
