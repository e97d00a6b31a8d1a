package io.jdrbd.cli.adm;

import io.jdrbd.node.config.ConfigException;
import io.jdrbd.node.config.DrbdConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code jdrbd adm}: drbdadm's command line. Options given here ({@code -c FILE}, {@code -d}) are
 * inherited by every subcommand, so they may also be written after it ({@code adm dump -c FILE}).
 * To add a subcommand, write a class like {@link DumpCommand} (a {@code Callable<Integer>} with a
 * {@code @ParentCommand AdmCommand adm} field) and list it in {@code subcommands} below.
 */
@Command(name = "adm", mixinStandardHelpOptions = true,
        description = "Administer DRBD resources, like drbdadm: reads the resource configuration (drbd.conf).",
        subcommands = {
            DumpCommand.class,
            StateCommands.Up.class,
            StateCommands.Down.class,
            StateCommands.Primary.class,
            StateCommands.Secondary.class,
            StateCommands.Connect.class,
            StateCommands.Disconnect.class,
            StateCommands.NewCurrentUuid.class,
            StatusCommands.Status.class,
            StatusCommands.RoleQuery.class,
            StatusCommands.CstateQuery.class,
            StatusCommands.DstateQuery.class,
        })
public final class AdmCommand implements Runnable {

    /** drbdadm's exit status for command-line mistakes. */
    public static final int EXIT_USAGE = 1;
    /** drbdadm's exit status for a configuration it refuses. */
    public static final int EXIT_CONFIG_INVALID = 10;

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", defaultValue = "/etc/drbd.conf",
            scope = ScopeType.INHERIT, description = "The resource configuration (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = {"-d", "--dry-run"}, scope = ScopeType.INHERIT,
            description = "Print what would be done, without doing it.")
    boolean dryRun;

    @Option(names = {"--node"}, paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Act as host NAME (default: JDRBD_NODE, else this machine's node name).")
    String node;

    @Option(names = {"--dir"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Directory with the nodes' control files: a local cluster's --dir "
                    + "(default: JDRBD_RUN_DIR or /run/jdrbd).")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The control endpoint of the node this invocation administers (see {@link NodeLocator}). */
    public io.jdrbd.node.control.ControlClient nodeClient() throws java.io.IOException {
        String explicit = node != null && !node.isEmpty() ? node : NodeLocator.nodeFromEnvironment();
        return NodeLocator.locate(dir, explicit, io.jdrbd.node.config.HostNames.local());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The configured file (the {@code -c} option, or /etc/drbd.conf). */
    public Path configFile() {
        return configFile;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** The host name this invocation acts as: --node, else JDRBD_NODE, else the machine's node name. */
    public String hostname() {
        if (node != null && !node.isEmpty()) {
            return node;
        }
        String env = System.getenv("JDRBD_NODE");
        return env != null && !env.isEmpty() ? env : io.jdrbd.node.config.HostNames.local();
    }

    /** Parses the configuration; on a refusal prints drbdadm-style one-line error and returns null. */
    public DrbdConfig loadConfig(PrintStream err) {
        try {
            DrbdConfig config = DrbdConfig.parse(configFile, hostname());
            config.warnings().forEach(err::println);
            return config;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        }
    }
}
