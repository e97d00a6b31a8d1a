package io.jdrbd.cli.adm;

import io.jdrbd.node.config.ConfigException;
import io.jdrbd.node.config.DrbdConfig;
import io.jdrbd.node.config.LocalPeer;
import io.jdrbd.node.config.LocalResource;
import io.jdrbd.node.config.Volume;
import io.jdrbd.node.control.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * drbdadm's state-changing commands against a running node: each one becomes one request to the
 * node's control endpoint, and a refusal is reported as drbdadm/drbdsetup report it:
 * {@code r0: State change failed: (-2) Need access to UpToDate data} and
 * {@code Command 'drbdsetup primary r0' terminated with exit code 17}, with drbdsetup's exit status
 * (17 for "need UpToDate data", 5 for "lower than Outdated", 16 for "no local disk", else 11).
 * With {@code -d} the drbdsetup commands drbdadm would run are printed instead, from the configuration.
 */
public final class StateCommands {

    private StateCommands() {
    }

    /** drbdsetup's exit status for a refused state change of DRBD code {@code code} (drbdsetup.c). */
    static int exitStatusFor(int code) {
        switch (code) {
            case -2:
                return 17;
            case -16:
                return 5;
            case -4:
                return 16;
            default:
                return 11;
        }
    }

    /** One admin verb; subclasses name it and add its options. */
    abstract static class StateVerb implements Callable<Integer> {
        @ParentCommand
        AdmCommand adm;

        @Parameters(index = "0", paramLabel = "RESOURCE", description = "A resource name, or 'all'.")
        String resource;

        /** The control endpoint's verb word (drbdsetup's). */
        abstract String verb();

        /** Extra query parameters (flags) of the request. */
        Map<String, String> flags() {
            return Map.of();
        }

        /** The drbdsetup command lines drbdadm runs for {@code local}. */
        abstract List<String> drbdsetupLines(LocalResource local);

        @Override
        public Integer call() throws IOException {
            PrintStream out = System.out;
            PrintStream err = System.err;
            if (adm.dryRun()) {
                return dryRun(out, err);
            }
            ControlClient client = adm.nodeClient();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("res", resource);
            query.put("verb", verb());
            query.putAll(flags());
            ControlClient.Reply reply = client.post("/admin", query);
            return report(reply, err);
        }

        private int dryRun(PrintStream out, PrintStream err) {
            DrbdConfig config = adm.loadConfig(err);
            if (config == null) {
                return AdmCommand.EXIT_CONFIG_INVALID;
            }
            List<LocalResource> selected;
            try {
                selected = select(config.forHost(adm.hostname()), resource);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return AdmCommand.EXIT_CONFIG_INVALID;
            }
            if (selected == null) {
                err.println("'" + resource + "' not defined in your config (for this host).");
                return AdmCommand.EXIT_USAGE;
            }
            for (LocalResource local : selected) {
                drbdsetupLines(local).forEach(out::println);
            }
            return 0;
        }

        /** Prints refusals drbdadm-style; returns the exit status. */
        int report(ControlClient.Reply reply, PrintStream err) {
            if (reply.status() == 400) {
                err.print(reply.body());
                return AdmCommand.EXIT_USAGE;
            }
            if (reply.status() != 200 && reply.status() != 409) {
                err.print(reply.body());
                return 20;
            }
            int status = 0;
            for (String line : reply.body().split("\n")) {
                String[] parts = line.split(" ", 3);
                if (parts.length < 3) {
                    continue;
                }
                int code = Integer.parseInt(parts[1]);
                if (code > 0) {
                    continue;
                }
                int exit = exitStatusFor(code);
                err.println(parts[0] + ": State change failed: (" + code + ") " + parts[2]);
                err.println("Command '" + String.join(" ", commandWords(parts[0])) + "' terminated with exit code "
                        + exit);
                status = Math.max(status, exit);
            }
            return status;
        }

        /** The drbdsetup command named in a failure message. */
        List<String> commandWords(String resourceName) {
            List<String> words = new ArrayList<>(List.of("drbdsetup", verb(), resourceName));
            for (Map.Entry<String, String> flag : flags().entrySet()) {
                words.add("--" + flag.getKey());
            }
            return words;
        }
    }

    static List<LocalResource> select(List<LocalResource> resources, String name) {
        if (name.equals("all")) {
            return resources;
        }
        for (LocalResource local : resources) {
            if (local.name().equals(name)) {
                return List.of(local);
            }
        }
        return null;
    }

    static List<String> perPeer(LocalResource local, String verb, String suffix) {
        List<String> lines = new ArrayList<>();
        for (LocalPeer peer : local.peers()) {
            lines.add("drbdsetup " + verb + " " + local.name() + " " + peer.host().nodeId() + suffix);
        }
        return lines;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Check that the running node has the resource up (a node brings its resources up at start).")
    static final class Up extends StateVerb {
        @Override
        String verb() {
            return "up";
        }

        @Override
        public Integer call() throws IOException {
            if (adm.dryRun()) {
                return super.call();
            }
            ControlClient.Reply info = adm.nodeClient().get("/info", Map.of());
            List<String> running = new ArrayList<>();
            for (String line : info.body().split("\n")) {
                if (line.startsWith("resource ")) {
                    running.add(line.split(" ")[1]);
                }
            }
            if (!resource.equals("all") && !running.contains(resource)) {
                System.err.println(resource + ": not running on this node (the node runs " + running
                        + "; start resources with 'jdrbd node -c FILE')");
                return AdmCommand.EXIT_CONFIG_INVALID;
            }
            return 0;
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            List<String> lines = new ArrayList<>();
            lines.add("drbdsetup new-resource " + local.name() + " " + local.nodeId());
            for (LocalResource.LocalVolume volume : local.volumes()) {
                lines.add("drbdsetup new-minor " + local.name() + " " + volume.volume().minor() + " "
                        + volume.volume().number());
            }
            for (LocalPeer peer : local.peers()) {
                lines.add("drbdsetup new-peer " + local.name() + " " + peer.host().nodeId() + " --_name="
                        + peer.host().displayName() + " --protocol=" + peer.net().protocol());
                for (LocalPeer.PathAddresses path : peer.paths()) {
                    lines.add("drbdsetup new-path " + local.name() + " " + peer.host().nodeId() + " "
                            + address(path.local()) + " " + address(path.peer()));
                }
            }
            for (LocalResource.LocalVolume volume : local.volumes()) {
                Volume v = volume.volume();
                if (v.isDiskless()) {
                    continue;
                }
                String meta = v.hasInternalMetaData() ? v.disk() + " internal" : v.metaDisk();
                lines.add("drbdmeta " + v.minor() + " v09 " + meta + " apply-al");
                lines.add("drbdsetup attach " + v.minor() + " " + v.disk() + " " + meta);
            }
            lines.addAll(perPeer(local, "connect", ""));
            return lines;
        }

        private static String address(io.jdrbd.node.config.Address address) {
            return address.family() + ":" + (address.isIpv6() ? "[" + address.host() + "]" : address.host()) + ":"
                    + address.port();
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Take the resource down on the node.")
    static final class Down extends StateVerb {
        @Override
        String verb() {
            return "down";
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            return List.of("drbdsetup down " + local.name());
        }
    }

    @Command(name = "primary", mixinStandardHelpOptions = true, description = "Promote the resource to Primary.")
    static final class Primary extends StateVerb {
        @Option(names = "--force", description = "Promote even without UpToDate data (becomes UpToDate).")
        boolean force;

        @Override
        String verb() {
            return "primary";
        }

        @Override
        Map<String, String> flags() {
            return force ? Map.of("force", "1") : Map.of();
        }

        @Override
        List<String> commandWords(String resourceName) {
            return force ? List.of("drbdsetup", "primary", resourceName, "--force")
                    : List.of("drbdsetup", "primary", resourceName);
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            return List.of(String.join(" ", commandWords(local.name())));
        }
    }

    @Command(name = "secondary", mixinStandardHelpOptions = true, description = "Demote the resource to Secondary.")
    static final class Secondary extends StateVerb {
        @Override
        String verb() {
            return "secondary";
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            return List.of("drbdsetup secondary " + local.name());
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true, description = "Connect to the resource's peers.")
    static final class Connect extends StateVerb {
        @Option(names = "--discard-my-data", description = "Resolve a split brain by becoming the sync target.")
        boolean discardMyData;

        @Override
        String verb() {
            return "connect";
        }

        @Override
        Map<String, String> flags() {
            return discardMyData ? Map.of("discard-my-data", "1") : Map.of();
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            return perPeer(local, "connect", discardMyData ? " --discard-my-data" : "");
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true, description = "Disconnect from the peers.")
    static final class Disconnect extends StateVerb {
        @Override
        String verb() {
            return "disconnect";
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            return perPeer(local, "disconnect", "");
        }
    }

    @Command(name = "new-current-uuid", mixinStandardHelpOptions = true,
            description = "Start a new data generation (with --clear-bitmap: skip the initial sync).")
    static final class NewCurrentUuid extends StateVerb {
        @Option(names = "--clear-bitmap", description = "Clear the bitmaps too (DRBD's skip-initial-sync).")
        boolean clearBitmap;

        @Override
        String verb() {
            return "new-current-uuid";
        }

        @Override
        Map<String, String> flags() {
            return clearBitmap ? Map.of("clear-bitmap", "1") : Map.of();
        }

        @Override
        List<String> drbdsetupLines(LocalResource local) {
            List<String> lines = new ArrayList<>();
            for (LocalResource.LocalVolume volume : local.volumes()) {
                lines.add("drbdsetup new-current-uuid " + volume.volume().minor() + (clearBitmap ? " --clear-bitmap"
                        : ""));
            }
            return lines;
        }
    }
}
