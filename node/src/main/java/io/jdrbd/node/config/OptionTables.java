package io.jdrbd.node.config;

import static io.jdrbd.node.config.OptionDef.bool;
import static io.jdrbd.node.config.OptionDef.enumeration;
import static io.jdrbd.node.config.OptionDef.numeric;
import static io.jdrbd.node.config.OptionDef.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options each drbd.conf section accepts, with types, ranges, defaults and units as drbd-utils
 * 9.22 defines them (config_flags.c, drbd_limits.h). Order matters: drbdadm lists the names in this
 * order when it reports an unknown option.
 */
public final class OptionTables {

    /** DRBD_PEERS_MAX: node ids and quorum counts go up to this. */
    public static final int PEERS_MAX = 32;
    /** SHARED_SECRET_MAX: algorithm names and secrets are shorter than this. */
    static final int SHARED_SECRET_MAX = 64;
    private static final int CPU_MASK_SIZE = 32;
    private static final long MAX_BIO_SIZE = 1 << 20;
    private static final String TENTHS = "1/10 seconds";

    /** Options of {@code net { }} (show_net_options_ctx: transport plus the changeable net options). */
    public static final Map<String, OptionDef> NET = table(netOptions(true));
    /** Options accepted after {@code protocol} at resource level (net_options_ctx). */
    static final Map<String, OptionDef> NET_CHANGEABLE = table(netOptions(false));
    /** Options of {@code disk { }} that belong to the local disk (attach_cmd_ctx). */
    public static final Map<String, OptionDef> DISK = table(diskOptions());
    /** Options of {@code disk { }} that belong to a peer device (peer_device_options_ctx). */
    public static final Map<String, OptionDef> PEER_DEVICE = table(peerDeviceOptions());
    /** Options of the resource's {@code options { }} section (resource_options_ctx). */
    public static final Map<String, OptionDef> RESOURCE = table(resourceOptions());
    /** Options of {@code startup { }}. */
    public static final Map<String, OptionDef> STARTUP = table(startupOptions());
    /** Handlers: each one a shell command. */
    public static final Map<String, OptionDef> HANDLERS = table(handlers());
    /** Options of {@code proxy { }} (besides plugin sections). */
    public static final Map<String, OptionDef> PROXY = table(proxyOptions());

    private OptionTables() {
    }

    /** drbdadm's old names of renamed options, accepted in the deprecated {@code syncer} section. */
    static String deprecatedAlias(String name) {
        switch (name) {
            case "outdate-peer": return "fence-peer";
            case "rate": return "resync-rate";
            case "after": return "resync-after";
            default: return name;
        }
    }

    private static Map<String, OptionDef> table(List<OptionDef> defs) {
        Map<String, OptionDef> byName = new LinkedHashMap<>();
        for (OptionDef def : defs) {
            byName.put(def.name(), def);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    private static List<OptionDef> netOptions(boolean withTransport) {
        List<OptionDef> defs = new ArrayList<>();
        if (withTransport) {
            defs.add(string("transport", 0));
        }
        defs.add(enumeration("protocol", "C", "A", "B", "C").withKind(OptionDef.Kind.ENUM_NOCASE));
        defs.add(numeric("timeout", 1, 600, 60, '1', TENTHS));
        defs.add(numeric("max-epoch-size", 1, 20000, 2048, '1', "write requests"));
        defs.add(numeric("connect-int", 1, 120, 10, '1', "seconds"));
        defs.add(numeric("ping-int", 1, 120, 10, '1', "seconds"));
        defs.add(numeric("sndbuf-size", 0, 10 << 20, 0, '1', "bytes"));
        defs.add(numeric("rcvbuf-size", 0, 10 << 20, 0, '1', "bytes"));
        defs.add(numeric("ko-count", 0, 200, 7, '1', "timeouts"));
        defs.add(bool("allow-two-primaries", false));
        defs.add(string("cram-hmac-alg", SHARED_SECRET_MAX));
        defs.add(string("shared-secret", SHARED_SECRET_MAX));
        defs.add(enumeration("after-sb-0pri", "disconnect", "disconnect", "discard-younger-primary",
                "discard-older-primary", "discard-zero-changes", "discard-least-changes", "discard-local",
                "discard-remote"));
        defs.add(enumeration("after-sb-1pri", "disconnect", "disconnect", "consensus", "violently-as0p",
                "discard-secondary", "call-pri-lost-after-sb"));
        defs.add(enumeration("after-sb-2pri", "disconnect", "disconnect", "violently-as0p",
                "call-pri-lost-after-sb"));
        defs.add(bool("always-asbp", false));
        defs.add(enumeration("rr-conflict", "disconnect", "disconnect", "violently", "call-pri-lost",
                "retry-connect", "auto-discard"));
        defs.add(numeric("ping-timeout", 1, 300, 5, '1', TENTHS));
        defs.add(string("data-integrity-alg", SHARED_SECRET_MAX));
        defs.add(bool("tcp-cork", true));
        defs.add(enumeration("on-congestion", "block", "block", "pull-ahead", "disconnect"));
        defs.add(numeric("congestion-fill", 0, 10L << 21, 0, 's', "sectors"));
        defs.add(numeric("congestion-extents", 67, 0xfffe, 1237, '1', "AL extents"));
        defs.add(string("csums-alg", SHARED_SECRET_MAX));
        defs.add(bool("csums-after-crash-only", false));
        defs.add(string("verify-alg", SHARED_SECRET_MAX));
        defs.add(bool("use-rle", true));
        defs.add(numeric("socket-check-timeout", 0, 300, 0, '1', TENTHS));
        defs.add(enumeration("fencing", "dont-care", "dont-care", "resource-only", "resource-and-stonith"));
        defs.add(numeric("max-buffers", 32, 131072, 2048, '1', "4 KiB pages"));
        defs.add(bool("allow-remote-read", true));
        defs.add(string("_name", SHARED_SECRET_MAX));
        return defs;
    }

    private static List<OptionDef> diskOptions() {
        List<OptionDef> defs = new ArrayList<>();
        defs.add(numeric("size", 0, 2L << 40, 0, 's', "sectors"));
        defs.add(enumeration("on-io-error", "detach", "pass_on", "call-local-io-error", "detach"));
        defs.add(bool("disk-barrier", false));
        defs.add(bool("disk-flushes", true));
        defs.add(bool("disk-drain", true));
        defs.add(bool("md-flushes", true));
        defs.add(numeric("resync-after", -1, (1 << 20) - 1, -1, '1', "minor / resource name")
                .checkedLater());
        defs.add(numeric("al-extents", 67, 0xfffe, 1237, '1', "AL extents").withImplicitClamp());
        defs.add(bool("al-updates", true));
        defs.add(bool("discard-zeroes-if-aligned", true));
        defs.add(bool("disable-write-same", false));
        defs.add(numeric("disk-timeout", 0, 6000, 0, '1', TENTHS));
        defs.add(enumeration("read-balancing", "prefer-local", "prefer-local", "prefer-remote", "round-robin",
                "least-pending", "when-congested-remote", "32K-striping", "64K-striping", "128K-striping",
                "256K-striping", "512K-striping", "1M-striping"));
        defs.add(numeric("rs-discard-granularity", 0, 1 << 20, 0, '1', "bytes"));
        return defs;
    }

    private static List<OptionDef> peerDeviceOptions() {
        return List.of(
                numeric("resync-rate", 1, 8 << 20, 250, 'k', "KiB/second"),
                numeric("c-plan-ahead", 0, 300, 20, '1', TENTHS),
                numeric("c-delay-target", 1, 100, 10, '1', TENTHS),
                numeric("c-fill-target", 0, 1 << 20, 100, 's', "sectors"),
                numeric("c-max-rate", 0, 4 << 20, 102400, 'k', "KiB/second"),
                numeric("c-min-rate", 0, 4 << 20, 250, 'k', "KiB/second"),
                bool("bitmap", true));
    }

    private static List<OptionDef> resourceOptions() {
        OptionDef quorum = new OptionDef("quorum", OptionDef.Kind.ENUM_NUM, 1, PEERS_MAX, "off", '1', "nodes",
                List.of("off", "majority", "all"), 0, false, false);
        return List.of(
                string("cpu-mask", CPU_MASK_SIZE),
                enumeration("on-no-data-accessible", "io-error", "io-error", "suspend-io"),
                bool("auto-promote", true),
                numeric("peer-ack-window", 2048, 204800, 4096, 's', "sectors"),
                numeric("peer-ack-delay", 1, 10000, 100, '1', "milliseconds"),
                numeric("twopc-timeout", 50, 600, 300, '1', TENTHS),
                numeric("twopc-retry-timeout", 1, 50, 1, '1', TENTHS),
                numeric("auto-promote-timeout", 0, 600, 20, '1', TENTHS),
                numeric("max-io-depth", 4, 0xffffffffL, 8000, '1', "requests"),
                quorum,
                enumeration("on-no-quorum", "suspend-io", "io-error", "suspend-io"),
                new OptionDef("quorum-minimum-redundancy", OptionDef.Kind.ENUM_NUM, 1, PEERS_MAX, "off", '1',
                        "nodes", List.of("off", "majority", "all"), 0, false, false),
                enumeration("on-suspended-primary-outdated", "disconnect", "disconnect", "force-secondary"));
    }

    private static List<OptionDef> startupOptions() {
        return List.of(
                numeric("wfc-timeout", 0, 300000, 0, '1', "seconds"),
                numeric("degr-wfc-timeout", 0, 300000, 0, '1', "seconds"),
                numeric("outdated-wfc-timeout", 0, 300000, 0, '1', "seconds"),
                bool("wait-after-sb", false));
    }

    private static List<OptionDef> handlers() {
        List<OptionDef> defs = new ArrayList<>();
        for (String name : List.of("pri-on-incon-degr", "pri-lost-after-sb", "pri-lost", "initial-split-brain",
                "split-brain", "outdate-peer", "fence-peer", "unfence-peer", "local-io-error",
                "before-resync-target", "after-resync-target", "before-resync-source", "out-of-sync",
                "quorum-lost", "disconnected")) {
            defs.add(string(name, 0));
        }
        return defs;
    }

    private static List<OptionDef> proxyOptions() {
        return List.of(
                numeric("memlimit", 0, -1, 0, '1', "bytes"),
                numeric("read-loops", 0, -1, 0, '1', "loops"),
                numeric("compression", 0, -1, 0, '1', "level"),
                numeric("bwlimit", 0, -1, 0, '1', "bytes/second"),
                numeric("sndbuf-size", 0, 10 << 20, 0, '1', "bytes"),
                numeric("rcvbuf-size", 0, 10 << 20, 0, '1', "bytes"),
                numeric("ping-timeout", 1, 300, 5, '1', TENTHS));
    }
}
