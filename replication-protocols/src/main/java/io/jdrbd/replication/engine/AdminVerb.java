package io.jdrbd.replication.engine;

/** The admin commands the engine understands, in drbdsetup's words. */
public enum AdminVerb {
    /** {@code primary [--force]}. */
    PRIMARY("primary"),
    /** {@code secondary}. */
    SECONDARY("secondary"),
    /** {@code connect [--discard-my-data]}: leave StandAlone and start connecting. */
    CONNECT("connect"),
    /** {@code disconnect [--force]}: go StandAlone. */
    DISCONNECT("disconnect"),
    /** {@code new-current-uuid [--clear-bitmap]}. */
    NEW_CURRENT_UUID("new-current-uuid"),
    /** {@code down}: disconnect everything (the driver then drops the engine). */
    DOWN("down");

    private final String drbdName;

    AdminVerb(String drbdName) {
        this.drbdName = drbdName;
    }

    public String drbdName() {
        return drbdName;
    }
}
