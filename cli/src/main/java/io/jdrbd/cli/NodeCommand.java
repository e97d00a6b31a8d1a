package io.jdrbd.cli;

import io.jdrbd.node.config.ConfigException;
import io.jdrbd.node.config.DrbdConfig;
import io.jdrbd.node.config.HostNames;
import io.jdrbd.node.config.LocalResource;
import io.jdrbd.node.control.ControlClient;
import io.jdrbd.node.control.ControlServer;
import io.jdrbd.node.metrics.NodeMetrics;
import io.jdrbd.node.runtime.NodeRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jdrbd node}: the node daemon, what the DRBD kernel module plus {@code drbdadm up} are. Runs
 * the resources of one host from a drbd.conf in the foreground until SIGINT/SIGTERM.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run the resources of one host from a drbd.conf file (foreground, until SIGTERM).")
public final class NodeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", defaultValue = "/etc/drbd.conf",
            description = "The resource configuration (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--node", paramLabel = "NAME",
            description = "The host section to run (default: JDRBD_NODE, else this machine's node name).")
    String node;

    @Option(names = "--nbd-bind", defaultValue = "127.0.0.1", description = "NBD export address (${DEFAULT-VALUE}).")
    String nbdBind;

    @Option(names = "--nbd-port", defaultValue = "10809", description = "NBD export port (${DEFAULT-VALUE}).")
    int nbdPort;

    @Option(names = "--control-port", defaultValue = "0",
            description = "Control endpoint port on 127.0.0.1 (0: any free port; see the control file).")
    int controlPort;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Where the control file NODE.control is written (default: JDRBD_RUN_DIR or /run/jdrbd).")
    Path runDir;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics (drbd-reactor's names) on PORT (0: any free port; "
                    + "see NODE.metrics in the run directory). Off when not given.")
    Integer metricsPort;

    @Option(names = "--metrics-bind", defaultValue = "127.0.0.1",
            description = "Address of the metrics endpoint (${DEFAULT-VALUE}).")
    String metricsBind;

    @Option(names = "--no-auto-promote", description = "Do not promote a Secondary when an NBD client opens it.")
    boolean noAutoPromote;

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Integer call() throws Exception {
        String host = node != null ? node : System.getenv().getOrDefault("JDRBD_NODE", HostNames.local());
        List<LocalResource> resources;
        try {
            resources = DrbdConfig.parse(configFile, host).forHost(host);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 10;
        }
        if (resources.isEmpty()) {
            System.err.println("jdrbd node: no resource in " + configFile + " has a section for host '" + host + "'");
            return 10;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (NodeRuntime runtime = NodeRuntime.start(resources,
                new NodeRuntime.Options(host, nbdBind, nbdPort, !noAutoPromote));
             ControlServer control = new ControlServer(runtime, "127.0.0.1", controlPort, stop::countDown)) {
            Path dir = runDir != null ? runDir : ControlClient.defaultRunDir();
            Files.createDirectories(dir);
            Path controlFile = ControlClient.controlFile(dir, host);
            Files.writeString(controlFile, control.endpoint() + "\n", StandardCharsets.UTF_8);
            NodeMetrics metrics = metricsPort == null ? null : NodeMetrics.start(runtime, metricsBind, metricsPort);
            Path metricsFile = NodeMetrics.metricsFile(dir, host);
            if (metrics != null) {
                Files.writeString(metricsFile, metricsBind + ":" + metrics.port() + "\n", StandardCharsets.UTF_8);
            }
            for (LocalResource resource : resources) {
                System.out.println(resource.name() + " " + runtime.nbdUri(resource.name()) + " control "
                        + control.endpoint());
            }
            if (metrics != null) {
                // after the resource lines: scripts read the NBD URI from the first line
                System.out.println("metrics http://" + metricsBind + ":" + metrics.port() + "/metrics");
            }
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                awaitQuietly(closed); // let the main thread finish closing before the JVM halts
            }, "jdrbd-node-stop"));
            stop.await();
            Files.deleteIfExists(controlFile);
            if (metrics != null) {
                metrics.close();
                Files.deleteIfExists(metricsFile);
            }
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
