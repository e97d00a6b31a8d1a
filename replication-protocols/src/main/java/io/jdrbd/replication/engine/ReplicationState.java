package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.ConnState;

/**
 * DRBD 9 replication states of a peer device ({@code replication:} in events2). This engine enters Off
 * and Established; the others are listed so status and events can name them when resync arrives.
 */
public enum ReplicationState {
    OFF("Off", ConnState.CONNECTED),
    ESTABLISHED("Established", ConnState.ESTABLISHED),
    STARTING_SYNC_S("StartingSyncS", ConnState.STARTING_SYNC_S),
    STARTING_SYNC_T("StartingSyncT", ConnState.STARTING_SYNC_T),
    WF_BITMAP_S("WFBitMapS", ConnState.WF_BITMAP_S),
    WF_BITMAP_T("WFBitMapT", ConnState.WF_BITMAP_T),
    WF_SYNC_UUID("WFSyncUUID", ConnState.WF_SYNC_UUID),
    SYNC_SOURCE("SyncSource", ConnState.SYNC_SOURCE),
    SYNC_TARGET("SyncTarget", ConnState.SYNC_TARGET),
    VERIFY_S("VerifyS", ConnState.VERIFY_S),
    VERIFY_T("VerifyT", ConnState.VERIFY_T),
    PAUSED_SYNC_S("PausedSyncS", ConnState.PAUSED_SYNC_S),
    PAUSED_SYNC_T("PausedSyncT", ConnState.PAUSED_SYNC_T),
    AHEAD("Ahead", ConnState.AHEAD),
    BEHIND("Behind", ConnState.BEHIND);

    private final String drbdName;
    private final ConnState wire;

    ReplicationState(String drbdName, ConnState wire) {
        this.drbdName = drbdName;
        this.wire = wire;
    }

    public String drbdName() {
        return drbdName;
    }

    /** The value of the {@code conn} field of P_STATE while connected in this state. */
    public ConnState wire() {
        return wire;
    }
}
