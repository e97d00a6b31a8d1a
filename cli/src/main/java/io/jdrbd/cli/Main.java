package io.jdrbd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jdrbd} command: one launcher whose subcommands mirror the DRBD tools (see CLI.md). */
@Command(name = "jdrbd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Userspace DRBD-9-compatible replicated block device, exported over NBD.",
        subcommands = {
            CommandLine.HelpCommand.class,
            BenchCommand.class,
            SimCommand.class,
            ServeCommand.class,
            ProxyCommand.class,
            ProxyCtlCommand.class,
            io.jdrbd.cli.adm.AdmCommand.class,
            io.jdrbd.cli.meta.MetaCommand.class,
            NodeCommand.class,
            io.jdrbd.cli.cluster.ClusterCommand.class,
            SetupCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (used by tests, which must not exit the JVM). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("jdrbd: " + (exception.getMessage() == null
                    ? exception.toString() : exception.getMessage()));
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jdrbd " + (version == null ? "0.1.0-SNAPSHOT" : version)};
        }
    }
}
