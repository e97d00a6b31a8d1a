package io.jdrbd.cli.meta;

import io.jdrbd.metadata.MetaDiskMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * drbdmeta's command line: {@code [--force] [-v] DEVICE v09 META_DEV internal|flex-internal|
 * flex-external|N COMMAND [ARGS]}, options allowed anywhere after the format arguments too.
 */
final class MetaArguments {
    final boolean force;
    final int verbosity;
    final String minorDevice;
    final String metaDevice;
    final MetaDiskMode mode;
    final int index;
    final String command;
    final List<String> positional;
    final Long maxPeers;
    final Long alStripes;
    final Long alStripeSizeKb;
    final Long peerMaxBioSize;
    final Long nodeId;

    /** A usage problem: drbdmeta exits 20 for these. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private MetaArguments(Builder b) {
        force = b.force;
        verbosity = b.verbosity;
        minorDevice = b.words.get(0);
        metaDevice = b.words.get(2);
        mode = b.mode;
        index = b.index;
        command = b.words.get(4);
        positional = List.copyOf(b.words.subList(5, b.words.size()));
        maxPeers = b.maxPeers;
        alStripes = b.alStripes;
        alStripeSizeKb = b.alStripeSizeKb;
        peerMaxBioSize = b.peerMaxBioSize;
        nodeId = b.nodeId;
    }

    private static final class Builder {
        boolean force;
        int verbosity;
        List<String> words = new ArrayList<>();
        MetaDiskMode mode;
        int index;
        Long maxPeers;
        Long alStripes;
        Long alStripeSizeKb;
        Long peerMaxBioSize;
        Long nodeId;
    }

    static MetaArguments parse(List<String> args) throws UsageException {
        Builder b = new Builder();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--force") || arg.equals("-f")) {
                b.force = true;
            } else if (arg.matches("-v+")) {
                b.verbosity += arg.length() - 1;
            } else if (arg.equals("--verbose")) {
                b.verbosity++;
            } else if (arg.equals("--ignore-sanity-checks")) {
                continue;
            } else if (arg.startsWith("--") && arg.length() > 2) {
                i = option(b, args, i);
            } else {
                b.words.add(arg);
            }
        }
        if (b.words.size() < 5) {
            throw new UsageException("USAGE: jdrbd meta [--force] DEVICE v09 META_DEV internal|flex-internal|"
                    + "flex-external|INDEX COMMAND [ARGS...]");
        }
        String format = b.words.get(1);
        if (!format.equals("v09")) {
            throw new UsageException("unsupported meta-data format '" + format + "' (only v09)");
        }
        String where = b.words.get(3);
        switch (where) {
            case "internal":
            case "flex-internal":
                b.mode = MetaDiskMode.INTERNAL;
                break;
            case "flex-external":
                b.mode = MetaDiskMode.FLEX_EXTERNAL;
                break;
            default:
                if (!where.matches("[0-9]{1,3}") || Integer.parseInt(where) > 255) {
                    throw new UsageException("'" + where + "' is not a valid index number "
                            + "(internal, flex-internal, flex-external or 0..255)");
                }
                b.mode = MetaDiskMode.INDEXED;
                b.index = Integer.parseInt(where);
        }
        return new MetaArguments(b);
    }

    private static int option(Builder b, List<String> args, int i) throws UsageException {
        String arg = args.get(i);
        String name = arg;
        String value;
        int next = i;
        int eq = arg.indexOf('=');
        if (eq > 0) {
            name = arg.substring(0, eq);
            value = arg.substring(eq + 1);
        } else {
            if (i + 1 >= args.size()) {
                throw new UsageException("option '" + arg + "' requires an argument");
            }
            value = args.get(i + 1);
            next = i + 1;
        }
        switch (name) {
            case "--max-peers":
                b.maxPeers = number(name, value);
                break;
            case "--al-stripes":
                b.alStripes = number(name, value);
                break;
            case "--al-stripe-size-kB":
            case "--al-stripe-size-kb":
                b.alStripeSizeKb = number(name, value);
                break;
            case "--peer-max-bio-size":
                b.peerMaxBioSize = size(name, value);
                break;
            case "--node-id":
                b.nodeId = number(name, value);
                if (b.nodeId < 0 || b.nodeId > 31) {
                    throw new UsageException("--node-id must be 0..31, got " + value);
                }
                break;
            default:
                throw new UsageException("unrecognized option '" + name + "'");
        }
        return next;
    }

    static long number(String name, String value) throws UsageException {
        if (!value.matches("-?[0-9]{1,18}")) {
            throw new UsageException(name + ": '" + value + "' is not a number");
        }
        return Long.parseLong(value);
    }

    private static long size(String name, String value) throws UsageException {
        String lower = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (lower.endsWith("k")) {
            unit = 1024;
        } else if (lower.endsWith("m")) {
            unit = 1024 * 1024;
        }
        String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
        long result = number(name, digits) * unit;
        if (result < 0 || result > (1 << 20)) {
            throw new UsageException(name + " must be 0..1M, got " + value);
        }
        return result;
    }

    /** drbdmeta's device-argument rule: "/dev/drbdN", "drbdN", a minor number or "-". */
    boolean validMinorDevice() {
        return minorDevice.equals("-") || minorDevice.matches("(/dev/)?drbd[0-9]+|[0-9]+")
                || minorDevice.startsWith("/dev/drbd/");
    }
}
