package io.jdrbd.cli;

import io.jdrbd.blockdev.SizeParser;
import io.jdrbd.cli.bench.Bench;
import io.jdrbd.cli.bench.BenchResults;
import io.jdrbd.cli.bench.BenchServer;
import io.jdrbd.cli.bench.CommandRunner;
import io.jdrbd.cli.bench.FioProfiles;
import io.jdrbd.cli.bench.ReferenceServers;
import io.jdrbd.cli.bench.ResultTable;
import io.jdrbd.cli.bench.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jdrbd bench}: runs the fio profiles against a jdrbd export and reference servers in the same run,
 * alternating, and prints a table with the ratios jdrbd/reference. The target is pluggable: by default a
 * {@code jdrbd serve --memory} child, or any command that prints an NBD URI on its first stdout line, or the
 * URI of a server that is already running.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the fio profiles (fio-profiles/) against jdrbd and reference NBD servers side by side, "
                + "alternating, and print IOPS, MB/s and total-latency p50/p99 with the ratios jdrbd/reference."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--profiles", defaultValue = "table", paramLabel = "LIST",
            description = "Comma-separated profiles or groups: table (LINBIT's table), durable (fsync variants), all, "
                    + "or names such as randread-4k-qd64. Default: ${DEFAULT-VALUE}.")
    String profiles;

    @Option(names = "--runtime", defaultValue = "10", paramLabel = "SECONDS",
            description = "Run time of each fio job (after 1 s ramp). Default: ${DEFAULT-VALUE}.")
    int runtimeSeconds;

    @Option(names = "--repetitions", defaultValue = "3", paramLabel = "N",
            description = "Runs of each profile on each server; the table shows medians. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--size", defaultValue = "1G", paramLabel = "SIZE",
            description = "Size of every device (K/M/G/T suffixes, powers of 1024). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--references", defaultValue = "nbdkit", paramLabel = "LIST",
            description = "Reference servers, comma-separated: nbdkit (nbdkit memory), qemu-nbd (sparse raw file, "
                    + "writeback), or none. Default: ${DEFAULT-VALUE}.")
    String references;

    @Option(names = "--target-command", paramLabel = "COMMAND",
            description = "Shell command that starts the server under test and prints its NBD URI on the first line "
                    + "of stdout; {size} and {port} are replaced by the size in bytes and a free port. "
                    + "Default: jdrbd serve --memory.")
    String targetCommand;

    @Option(names = "--target-uri", paramLabel = "URI",
            description = "Benchmark a server that is already running at this URI instead of starting one.")
    String targetUri;

    @Option(names = "--target-label", defaultValue = "jdrbd memory", paramLabel = "LABEL",
            description = "Name of the target in the table. Default: ${DEFAULT-VALUE}.")
    String targetLabel;

    @Option(names = "--target-java-opts", defaultValue = "", paramLabel = "OPTS",
            description = "Extra JVM options for the default jdrbd target, e.g. to record a JFR profile.")
    String targetJavaOpts;

    @Option(names = "--profile-dir", paramLabel = "DIR",
            description = "Read the job files from this directory instead of the ones packaged in the jar.")
    Path profileDir;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where job files, fio's JSON reports and server logs go (kept). Default: a new temp dir.")
    Path workDir;

    @Option(names = "--format", defaultValue = "TEXT", paramLabel = "FORMAT",
            description = "Table format: TEXT or MARKDOWN. Default: ${DEFAULT-VALUE}.")
    ResultTable.Format format;

    @Option(names = "--start-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long a server may take to start listening. Default: ${DEFAULT-VALUE}.")
    int startTimeoutSeconds;

    @Option(names = "--no-prefill", negatable = false,
            description = "Skip writing the whole device before read profiles (reads may then hit holes).")
    boolean noPrefill;

    @Override
    public Integer call() throws IOException {
        long sizeBytes = SizeParser.parse(size, "--size");
        Bench.Options options = new Bench.Options(FioProfiles.select(profiles), runtimeSeconds, repetitions,
                sizeBytes, Optional.ofNullable(profileDir), !noPrefill);
        List<ReferenceServers.Kind> kinds = referenceKinds();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("jdrbd-bench-");
        PrintStream out = System.out;
        out.println("# jdrbd bench " + String.join(" ", options.profiles()) + ": runtime " + runtimeSeconds
                + " s, " + repetitions + " repetitions, size " + size + ", work dir " + dir);
        out.println("# " + Instant.now() + ", " + machine());
        List<BenchServer> servers = new CopyOnWriteArrayList<>();
        // on Ctrl-C the finally below does not run, but shutdown hooks do: no server outlives the bench
        Thread stopOnExit = new Thread(() -> stopAll(servers), "bench-stop-servers");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            servers.add(startTarget(sizeBytes, dir));
            for (ReferenceServers.Kind kind : kinds) {
                servers.add(ReferenceServers.start(kind, sizeBytes, dir, Duration.ofSeconds(startTimeoutSeconds)));
            }
            for (BenchServer server : servers) {
                out.println("# " + server.label() + ": " + server.uri());
            }
            BenchResults results = new Bench(options, dir, out).run(servers);
            out.println("# done " + Instant.now() + ", " + machine());
            out.println();
            out.print(ResultTable.render(results, servers.get(0).label(),
                    servers.subList(1, servers.size()).stream().map(BenchServer::label).toList(), format));
            return 0;
        } finally {
            stopAll(servers);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops whatever is left
            }
        }
    }

    private static void stopAll(List<BenchServer> servers) {
        List<BenchServer> stopping = new ArrayList<>(servers);
        Collections.reverse(stopping);
        stopping.forEach(BenchServer::close);
        servers.clear();
    }

    private List<ReferenceServers.Kind> referenceKinds() {
        if (references.isBlank() || "none".equals(references.strip())) {
            return List.of();
        }
        return Arrays.stream(references.split(",")).map(ReferenceServers.Kind::parse).distinct().toList();
    }

    private BenchServer startTarget(long sizeBytes, Path dir) {
        if (targetUri != null) {
            ServerProcess.portOf(targetUri); // reject a malformed URI before any fio run
            return BenchServer.existing(targetLabel, targetUri);
        }
        Path log = dir.resolve("target.log");
        int port = ServerProcess.freePort();
        List<String> command = targetCommand != null
                ? List.of("sh", "-c", targetCommand.replace("{size}", Long.toString(sizeBytes))
                        .replace("{port}", Integer.toString(port)))
                : defaultTarget(sizeBytes, port);
        return ServerProcess.startPrintingUri(targetLabel, command, Duration.ofSeconds(startTimeoutSeconds), log);
    }

    /** This very program, as {@code jdrbd serve --memory}, with the JVM the launcher uses. */
    private List<String> defaultTarget(long sizeBytes, int port) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-XX:+UseParallelGC");
        if (!targetJavaOpts.isBlank()) {
            command.addAll(Arrays.asList(targetJavaOpts.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--memory", "--size", Long.toString(sizeBytes), "--bind", "127.0.0.1",
                "--port", Integer.toString(port)));
        return command;
    }

    /** fio's version, the CPU count and the load average: what a reader needs to judge the figures. */
    private static String machine() {
        String fio;
        try {
            fio = CommandRunner.run(Duration.ofSeconds(10), List.of("fio", "--version")).stdout().strip();
        } catch (IllegalStateException e) {
            fio = "fio not found";
        }
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            load = "unknown";
        }
        return fio + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, load average " + load;
    }
}
