package io.jdrbd.node.config;

/**
 * The {@code global { }} section.
 *
 * @param minorCount 0 when not set
 * @param dialogRefresh 1 (drbdadm's default) when not set
 * @param usageCount {@code yes}, {@code no} or {@code ask} (the default)
 * @param cmdTimeoutShort seconds, -1 when not set (likewise medium and long)
 */
public record GlobalOptions(boolean disableIpVerification, boolean udevAlwaysUseVnr, int minorCount,
                            int dialogRefresh, String usageCount, int cmdTimeoutShort, int cmdTimeoutMedium,
                            int cmdTimeoutLong) {

    public static final GlobalOptions DEFAULTS = new GlobalOptions(false, false, 0, 1, "ask", -1, -1, -1);
}
