package io.jdrbd.cli.cluster;

import io.jdrbd.blockdev.SizeParser;
import io.jdrbd.node.control.ControlClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jdrbd cluster up|down|status}: a whole local cluster on loopback (CLI.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop and show a local cluster on loopback: N nodes, real TCP, file-backed disks, "
                + "an NBD export per node.",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class,
            ClusterCommand.Run.class})
public final class ClusterCommand implements Runnable {

    static final String DEFAULT_DIR = "./.jdrbd/cluster";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options that define a cluster, shared by {@code up} and the background {@code run}. */
    static class Layout {
        @Option(names = "--nodes", defaultValue = "2", description = "Number of nodes (${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--protocol", defaultValue = "C", description = "Replication protocol A, B or C.")
        char protocol;

        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Cluster directory (${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--base-port", defaultValue = "7788",
                description = "Replication port; node i listens on 127.0.0.<i+1>:PORT (${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--nbd-base-port", defaultValue = "10809",
                description = "NBD port of node 0; node i exports on PORT+i (${DEFAULT-VALUE}).")
        int nbdBasePort;

        @Option(names = "--size", defaultValue = "1G", description = "Device size, K/M/G/T suffixes (${DEFAULT-VALUE}).")
        String size;

        LocalCluster cluster() {
            if (nodes < 2 || nodes > 16) {
                throw new IllegalArgumentException("--nodes must be 2..16, got " + nodes);
            }
            char upper = Character.toUpperCase(protocol);
            if (upper != 'A' && upper != 'B' && upper != 'C') {
                throw new IllegalArgumentException("--protocol must be A, B or C, got " + protocol);
            }
            return new LocalCluster(dir, nodes, upper, basePort, SizeParser.parse(size, "--size"));
        }

        List<String> asArguments() {
            return List.of("--nodes", Integer.toString(nodes), "--protocol", String.valueOf(protocol),
                    "--dir", dir.toString(), "--base-port", Integer.toString(basePort),
                    "--nbd-base-port", Integer.toString(nbdBasePort), "--size", size);
        }
    }

    static Optional<ProcessHandle> runningProcess(LocalCluster cluster) throws IOException {
        if (!Files.exists(cluster.pidFile())) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(cluster.pidFile(), StandardCharsets.UTF_8).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create (or reuse) the cluster in DIR, start it, promote node0, print each node's NBD URI.")
    static final class Up extends Layout implements Callable<Integer> {

        @Option(names = "--foreground", description = "Stay in the foreground until interrupted.")
        boolean foreground;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = cluster();
            if (runningProcess(cluster).isPresent()) {
                System.err.println("jdrbd cluster up: a cluster is already running in " + cluster.dir()
                        + " (jdrbd cluster down --dir " + cluster.dir() + ")");
                return 1;
            }
            cluster.prepare();
            Files.deleteIfExists(cluster.readyFile());
            if (foreground) {
                return runInForeground(cluster, nbdBasePort);
            }
            return startInBackground(cluster);
        }

        private Integer startInBackground(LocalCluster cluster) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:+UseParallelGC");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.jdrbd.cli.Main");
            command.add("cluster");
            command.add("run");
            command.addAll(asArguments());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(cluster.logFile().toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile())).start();
            Files.writeString(cluster.pidFile(), process.pid() + "\n", StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(cluster.readyFile())) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    System.err.println("jdrbd cluster up: the cluster process exited with status "
                            + process.exitValue() + "; its log " + cluster.logFile() + " ends with:");
                    List<String> log = Files.readAllLines(cluster.logFile(), StandardCharsets.UTF_8);
                    log.subList(Math.max(0, log.size() - 20), log.size()).forEach(System.err::println);
                    Files.deleteIfExists(cluster.pidFile());
                    return 1;
                }
                if (System.nanoTime() > deadline) {
                    process.destroy();
                    System.err.println("jdrbd cluster up: the cluster did not come up within 120 s; see "
                            + cluster.logFile());
                    return 1;
                }
            }
            System.out.print(Files.readString(cluster.readyFile(), StandardCharsets.UTF_8));
            System.out.println("cluster running in the background (pid " + process.pid() + "); attach with e.g. "
                    + "'nbdinfo nbd://127.0.0.1:" + nbdBasePort + "/r0'; stop with 'jdrbd cluster down --dir "
                    + cluster.dir() + "'");
            return 0;
        }
    }

    static int runInForeground(LocalCluster cluster, int nbdBasePort) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jdrbd-cluster-stop"));
        try (ClusterRunner runner = new ClusterRunner(cluster)) {
            runner.start(nbdBasePort, stop::countDown);
            java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
            runner.printNodes(new java.io.PrintStream(lines, true, StandardCharsets.UTF_8));
            String text = lines.toString(StandardCharsets.UTF_8);
            System.out.print(text);
            System.out.flush();
            Path ready = cluster.readyFile();
            Files.writeString(ready.resolveSibling(ready.getFileName() + ".tmp"), text, StandardCharsets.UTF_8);
            Files.move(ready.resolveSibling(ready.getFileName() + ".tmp"), ready,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            stop.await();
        } finally {
            Files.deleteIfExists(cluster.readyFile());
            closed.countDown();
        }
        return 0;
    }

    @Command(name = "run", hidden = true, description = "The background process of 'cluster up'.")
    static final class Run extends Layout implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return runInForeground(cluster(), nbdBasePort);
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the cluster running in DIR.")
    static final class Down implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Cluster directory (${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = new LocalCluster(dir, 2, 'C', 0, 4096);
            Optional<ProcessHandle> process = runningProcess(cluster);
            if (process.isEmpty()) {
                System.err.println("jdrbd cluster down: no cluster running in " + dir);
                Files.deleteIfExists(cluster.pidFile());
                return 1;
            }
            process.get().destroy();
            try {
                process.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.get().destroyForcibly();
            }
            Files.deleteIfExists(cluster.pidFile());
            Files.deleteIfExists(cluster.readyFile());
            System.out.println("cluster in " + dir + " stopped");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "drbdsetup status of every node of the cluster in DIR.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Cluster directory (${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = {"-v", "--verbose"}, description = "drbdsetup status --verbose.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            List<String> nodes = ControlClient.nodesIn(dir);
            if (nodes.isEmpty()) {
                System.err.println("jdrbd cluster status: no running node in " + dir);
                return 1;
            }
            int status = 0;
            for (String node : nodes) {
                System.out.println("--- " + node + " ---");
                try {
                    ControlClient.Reply reply = ControlClient.forNode(dir, node).get("/status",
                            verbose ? Map.of("verbose", "1") : Map.of());
                    System.out.print(reply.body());
                    status |= reply.ok() ? 0 : 1;
                } catch (IOException e) {
                    System.out.println(e.getMessage());
                    status = 1;
                }
            }
            return status;
        }
    }
}
