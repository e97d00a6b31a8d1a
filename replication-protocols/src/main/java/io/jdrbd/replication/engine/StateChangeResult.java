package io.jdrbd.replication.engine;

/**
 * {@code enum drbd_state_rv}: the result of a state change request, with DRBD's codes and texts
 * (drbd_strings.c), so that {@code jdrbd adm} can print "State change failed: (-2) Need access to
 * UpToDate data" as drbdadm does.
 */
public enum StateChangeResult {
    CW_NO_NEED(4, "State change was successful"),
    CW_SUCCESS(3, "State change was successful"),
    NOTHING_TO_DO(2, "State change was successful"),
    SUCCESS(1, "State change was successful"),
    TWO_PRIMARIES(-1, "Multiple primaries not allowed by config"),
    NO_UP_TO_DATE_DISK(-2, "Need access to UpToDate data"),
    NO_LOCAL_DISK(-4, "Can not resync without local disk"),
    NO_REMOTE_DISK(-5, "Can not resync without remote disk"),
    CONNECTED_OUTDATES(-6, "Refusing to be Outdated while Connected"),
    PRIMARY_NOP(-7, "Refusing to be Primary while peer is not outdated"),
    RESYNC_RUNNING(-8, "Can not start OV/resync since it is already active"),
    ALREADY_STANDALONE(-9, "Can not disconnect a StandAlone device"),
    CW_FAILED_BY_PEER(-10, "State change was refused by peer node"),
    IS_DISKLESS(-11, "Device is diskless, the requested operation requires a disk"),
    DEVICE_IN_USE(-12, "Device is held open by someone"),
    NO_NET_CONFIG(-13, "Have no net/connection configuration"),
    NEED_CONNECTION(-15, "Need a connection to start verify or resync"),
    LOWER_THAN_OUTDATED(-16, "Disk state is lower than outdated"),
    IN_TRANSIENT_STATE(-18, "In transient state, retry after next state change"),
    CONCURRENT_ST_CHG(-19, "Concurrent state changes detected and aborted"),
    INTERRUPTED(-21, "Interrupted state change"),
    TIMEOUT(-23, "Timeout in operation");

    private final int code;
    private final String text;

    StateChangeResult(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** DRBD's numeric code (positive = success). */
    public int code() {
        return code;
    }

    /** DRBD's message text. */
    public String text() {
        return text;
    }

    public boolean ok() {
        return code > 0;
    }
}
