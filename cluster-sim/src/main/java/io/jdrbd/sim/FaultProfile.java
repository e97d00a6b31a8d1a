package io.jdrbd.sim;

import java.util.Locale;

/** Which fault families a randomized run may inject (`jdrbd sim --faults`). */
public enum FaultProfile {
    /** No faults: latency, reordering of disk completions and chunking only. */
    NONE(false, false, false, false),
    /** Partitions, one-way blocks, resets and clogging of the network. */
    NETWORK(true, false, false, false),
    /** Crash and restart of a secondary, stalls of its disk. */
    SECONDARY(false, true, false, true),
    /** One crash of the primary, checked per protocol, then failover. */
    FAILOVER(false, false, true, false),
    /** Everything above. */
    ALL(true, true, true, true);

    final boolean network;
    final boolean crashSecondary;
    final boolean crashPrimary;
    final boolean diskStall;

    FaultProfile(boolean network, boolean crashSecondary, boolean crashPrimary, boolean diskStall) {
        this.network = network;
        this.crashSecondary = crashSecondary;
        this.crashPrimary = crashPrimary;
        this.diskStall = diskStall;
    }

    public static FaultProfile parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault profile '" + text + "' (none, network, secondary,"
                    + " failover, all)", e);
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
