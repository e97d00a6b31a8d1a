package io.jdrbd.replication.wire;

/** {@code enum drbd_role} as carried in the state word. */
public enum Role {
    UNKNOWN(0, "Unknown"), PRIMARY(1, "Primary"), SECONDARY(2, "Secondary");

    private final int code;
    private final String drbdName;

    Role(int code, String drbdName) {
        this.code = code;
        this.drbdName = drbdName;
    }

    public int code() {
        return code;
    }

    /** DRBD's word (as in events2 and status). */
    public String drbdName() {
        return drbdName;
    }

    /** The role with this code, or {@code null}. */
    public static Role fromCode(int code) {
        for (Role role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        return null;
    }
}
