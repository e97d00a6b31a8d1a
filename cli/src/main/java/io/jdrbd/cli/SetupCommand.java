package io.jdrbd.cli;

import io.jdrbd.cli.adm.NodeLocator;
import io.jdrbd.cli.adm.StatusCommands;
import io.jdrbd.node.config.HostNames;
import io.jdrbd.node.control.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code jdrbd setup}: drbdsetup's observing commands against a running node ({@code status},
 * {@code events2}). The node is found like {@code jdrbd adm} finds it: {@code --dir} and {@code --node}.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Low-level view of a running node, like drbdsetup: status, events2.",
        subcommands = {SetupCommand.Status.class, SetupCommand.Events2.class})
public final class SetupCommand implements Runnable {

    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Directory with the nodes' control files: a local cluster's --dir "
                    + "(default: JDRBD_RUN_DIR or /run/jdrbd).")
    Path dir;

    @Option(names = "--node", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The node to ask (default: JDRBD_NODE; needed when DIR holds several nodes).")
    String node;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    ControlClient client() throws IOException {
        String explicit = node != null && !node.isEmpty() ? node : NodeLocator.nodeFromEnvironment();
        return NodeLocator.locate(dir, explicit, HostNames.local());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "drbdsetup status [RESOURCE|all] [--verbose] [--statistics] [--json].")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        SetupCommand setup;

        @Parameters(index = "0", arity = "0..1", paramLabel = "RESOURCE", defaultValue = "all",
                description = "A resource name, or 'all' (default).")
        String resource;

        @Option(names = {"-v", "--verbose"}, description = "All fields.")
        boolean verbose;

        @Option(names = {"-s", "--statistics"}, description = "With I/O statistics.")
        boolean statistics;

        @Option(names = {"-j", "--json"}, description = "As JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            return StatusCommands.printStatus(setup.client(), resource, verbose, statistics, json, System.out,
                    System.err);
        }
    }

    @Command(name = "events2", mixinStandardHelpOptions = true,
            description = "drbdsetup events2 [RESOURCE|all]: the current state as 'exists' lines, 'exists -', then "
                    + "every change as it happens (until interrupted, or at once with --now).")
    static final class Events2 implements Callable<Integer> {
        @ParentCommand
        SetupCommand setup;

        @Parameters(index = "0", arity = "0..1", paramLabel = "RESOURCE", defaultValue = "all",
                description = "A resource name, or 'all' (default).")
        String resource;

        @Option(names = "--now", description = "Print the current state and exit.")
        boolean now;

        @Option(names = {"-s", "--statistics"},
                description = "Accepted for drbdsetup compatibility; statistics fields are not added to lines yet.")
        boolean statistics;

        @Option(names = {"-t", "--timestamps"}, description = "Prefix each line with a local ISO-8601 timestamp.")
        boolean timestamps;

        @Override
        public Integer call() throws IOException {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("res", resource);
            if (now) {
                query.put("now", "1");
            }
            if (timestamps) {
                query.put("timestamps", "1");
            }
            if (statistics) {
                query.put("statistics", "1");
            }
            PrintStream out = System.out;
            try {
                setup.client().stream("/events2", query, line -> {
                    out.println(line);
                    out.flush();
                });
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("not defined")) {
                    System.err.println(resource + ": No such resource");
                    return StatusCommands.EXIT_NO_SUCH_OBJECT;
                }
                throw e;
            }
            return 0;
        }
    }
}
