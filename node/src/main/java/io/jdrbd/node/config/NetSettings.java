package io.jdrbd.node.config;

/**
 * The net options the replication engine acts on, typed, in DRBD's units, defaults applied.
 *
 * @param protocol 'A', 'B' or 'C'
 * @param cramHmacAlg peer authentication algorithm, "" for none
 * @param sharedSecret the secret for cram-hmac-alg, "" for none
 * @param maxEpochSize write requests between two barriers
 * @param pingIntSeconds idle time before a ping
 * @param pingTimeoutTenths time a ping answer may take, in 1/10 seconds
 * @param timeoutTenths time a peer may take to answer a request, in 1/10 seconds
 * @param koCount timeouts in a row after which the peer is dropped (0 = never)
 * @param connectIntSeconds interval between connection attempts
 * @param sndbufSizeBytes socket send buffer, 0 = auto-tuned
 * @param rcvbufSizeBytes socket receive buffer, 0 = auto-tuned
 * @param maxBuffers receive buffers (4 KiB pages) per peer
 * @param all every net option, as written and inherited
 */
public record NetSettings(char protocol, String cramHmacAlg, String sharedSecret, boolean allowTwoPrimaries,
                          int maxEpochSize, int pingIntSeconds, int pingTimeoutTenths, int timeoutTenths, int koCount,
                          int connectIntSeconds, int sndbufSizeBytes, int rcvbufSizeBytes, int maxBuffers,
                          OptionList all) {

    /**
     * Typed settings where a value that is not valid for its option (a bare {@code protocol;} reads as
     * "yes") counts as the default; {@link #all()} keeps the options as written. For printing what
     * drbdadm would hand to drbdsetup, never for running.
     */
    static NetSettings lenient(OptionList net) {
        java.util.List<Option> valid = new java.util.ArrayList<>();
        for (Option option : net.options()) {
            OptionDef def = OptionTables.NET.get(option.name());
            if (def == null || option.value() == null || def.check(option.value()) == null) {
                valid.add(option);
            }
        }
        NetSettings typed = from(new OptionList(valid));
        return new NetSettings(typed.protocol(), typed.cramHmacAlg(), typed.sharedSecret(), typed.allowTwoPrimaries(),
                typed.maxEpochSize(), typed.pingIntSeconds(), typed.pingTimeoutTenths(), typed.timeoutTenths(),
                typed.koCount(), typed.connectIntSeconds(), typed.sndbufSizeBytes(), typed.rcvbufSizeBytes(),
                typed.maxBuffers(), net);
    }

    /** Typed net settings from (inherited) net options, whose values must be valid for their options. */
    public static NetSettings from(OptionList net) {
        var t = OptionTables.NET;
        return new NetSettings(Character.toUpperCase(net.text(t, "protocol").charAt(0)),
                net.text(t, "cram-hmac-alg"), net.text(t, "shared-secret"), net.flag(t, "allow-two-primaries"),
                (int) net.number(t, "max-epoch-size"), (int) net.number(t, "ping-int"),
                (int) net.number(t, "ping-timeout"), (int) net.number(t, "timeout"), (int) net.number(t, "ko-count"),
                (int) net.number(t, "connect-int"), (int) net.number(t, "sndbuf-size"),
                (int) net.number(t, "rcvbuf-size"), (int) net.number(t, "max-buffers"), net);
    }
}
