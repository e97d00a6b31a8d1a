package io.jdrbd.replication.wire;

/** {@code enum drbd_after_sb_p}: the after-split-brain policies, by their drbd.conf names. */
public enum AfterSbPolicy {
    DISCONNECT(0, "disconnect"),
    DISCARD_YOUNGER_PRIMARY(1, "discard-younger-primary"),
    DISCARD_OLDER_PRIMARY(2, "discard-older-primary"),
    DISCARD_ZERO_CHANGES(3, "discard-zero-changes"),
    DISCARD_LEAST_CHANGES(4, "discard-least-changes"),
    DISCARD_LOCAL(5, "discard-local"),
    DISCARD_REMOTE(6, "discard-remote"),
    CONSENSUS(7, "consensus"),
    DISCARD_SECONDARY(8, "discard-secondary"),
    CALL_HELPER(9, "call-pri-lost-after-sb"),
    VIOLENTLY(10, "violently-as0p"),
    RETRY_CONNECT(11, "retry-connect"),
    AUTO_DISCARD(12, "auto-discard");

    private final int code;
    private final String configName;

    AfterSbPolicy(int code, String configName) {
        this.code = code;
        this.configName = configName;
    }

    public int code() {
        return code;
    }

    /** The word used in drbd.conf. */
    public String configName() {
        return configName;
    }

    /** The policy with this wire code, or {@code null}. */
    public static AfterSbPolicy fromCode(int code) {
        for (AfterSbPolicy policy : values()) {
            if (policy.code == code) {
                return policy;
            }
        }
        return null;
    }

    /** How the peer's value must look for the settings to be compatible (discard-local ↔ discard-remote). */
    public AfterSbPolicy mirrored() {
        if (this == DISCARD_LOCAL) {
            return DISCARD_REMOTE;
        }
        if (this == DISCARD_REMOTE) {
            return DISCARD_LOCAL;
        }
        return this;
    }
}
