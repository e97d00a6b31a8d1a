package io.jdrbd.cli.cluster;

import io.jdrbd.node.config.DrbdConfig;
import io.jdrbd.node.control.ControlClient;
import io.jdrbd.node.control.ControlServer;
import io.jdrbd.node.control.ResourceStatus;
import io.jdrbd.node.metrics.NodeMetrics;
import io.jdrbd.node.runtime.NodeRuntime;
import io.jdrbd.node.runtime.ResourceRuntime;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.engine.StateChangeResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs every node of a local cluster in this process (real TCP on loopback between them), brings
 * the cluster to "connected, UpToDate, node0 Primary", and reports each node's NBD URI.
 */
public final class ClusterRunner implements AutoCloseable {

    private static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final LocalCluster cluster;
    private final List<NodeRuntime> nodes = new ArrayList<>();
    private final List<ControlServer> controls = new ArrayList<>();
    private final List<NodeMetrics> metrics = new ArrayList<>();

    public ClusterRunner(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the nodes and settles the cluster; {@code onShutdownRequest} runs when a node is told to stop. */
    public void start(int nbdBasePort, Runnable onShutdownRequest) throws Exception {
        DrbdConfig config = DrbdConfig.parse(cluster.resourceFile(), LocalCluster.nodeName(0));
        for (int node = 0; node < cluster.nodes(); node++) {
            String name = LocalCluster.nodeName(node);
            NodeRuntime runtime = NodeRuntime.start(config.forHost(name),
                    new NodeRuntime.Options(name, "127.0.0.1", nbdBasePort == 0 ? 0 : nbdBasePort + node, true));
            nodes.add(runtime);
            ControlServer control = new ControlServer(runtime, "127.0.0.1", 0, onShutdownRequest);
            controls.add(control);
            Files.writeString(ControlClient.controlFile(cluster.dir(), name), control.endpoint() + "\n",
                    StandardCharsets.UTF_8);
            NodeMetrics nodeMetrics = NodeMetrics.start(runtime, "127.0.0.1", 0);
            metrics.add(nodeMetrics);
            Files.writeString(NodeMetrics.metricsFile(cluster.dir(), name), "127.0.0.1:" + nodeMetrics.port() + "\n",
                    StandardCharsets.UTF_8);
        }
        settle();
    }

    private void settle() throws Exception {
        awaitAll("every node connected", peer -> peer.connection().equals("Connected"), status -> true);
        ResourceRuntime first = resource(0);
        ResourceStatus firstStatus = ResourceStatus.of(first).get(10, TimeUnit.SECONDS);
        if (!firstStatus.disk().equals("UpToDate")) {
            // fresh meta-data on every node: DRBD's skip-initial-sync
            check(first.admin(AdminVerb.NEW_CURRENT_UUID, EngineInput.AdminCommand.ALL_PEERS,
                    EngineInput.AdminCommand.CLEAR_BITMAP).get(60, TimeUnit.SECONDS), "new-current-uuid --clear-bitmap");
        }
        awaitAll("every disk UpToDate", peer -> peer.peerDisk().equals("UpToDate"),
                status -> status.disk().equals("UpToDate"));
        check(first.admin(AdminVerb.PRIMARY, EngineInput.AdminCommand.ALL_PEERS, 0).get(60, TimeUnit.SECONDS),
                "primary");
    }

    private static void check(StateChangeResult result, String what) throws IOException {
        if (!result.ok()) {
            throw new IOException("node0: " + what + " failed: (" + result.code() + ") " + result.text());
        }
    }

    private void awaitAll(String what, Predicate<ResourceStatus.Peer> peerCondition,
                          Predicate<ResourceStatus> resourceCondition) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NS;
        while (true) {
            boolean all = true;
            for (int node = 0; node < nodes.size() && all; node++) {
                ResourceStatus status = ResourceStatus.of(resource(node)).get(10, TimeUnit.SECONDS);
                all = resourceCondition.test(status) && status.peers().stream().allMatch(peerCondition);
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder state = new StringBuilder();
                for (int node = 0; node < nodes.size(); node++) {
                    state.append(LocalCluster.nodeName(node)).append(": ")
                            .append(ResourceStatus.of(resource(node)).get(10, TimeUnit.SECONDS).plain());
                }
                throw new IOException("cluster did not reach '" + what + "' within 60 s:\n" + state);
            }
            Thread.sleep(50); // polling a settling cluster from the outside: the cadence is not a correctness bet
        }
    }

    private ResourceRuntime resource(int node) {
        return nodes.get(node).resource(LocalCluster.RESOURCE);
    }

    public List<NodeRuntime> nodes() {
        return nodes;
    }

    /** The metrics endpoints, by node index. */
    public List<NodeMetrics> metrics() {
        return metrics;
    }

    /** One line per node: name, NBD URI, control endpoint. */
    public void printNodes(PrintStream out) {
        for (int node = 0; node < nodes.size(); node++) {
            out.println(LocalCluster.nodeName(node) + " " + nodes.get(node).nbdUri(LocalCluster.RESOURCE)
                    + " control " + controls.get(node).endpoint() + (node == 0 ? " role:Primary" : " role:Secondary"));
        }
    }

    @Override
    public void close() {
        for (NodeMetrics nodeMetrics : metrics) {
            nodeMetrics.close();
        }
        for (ControlServer control : controls) {
            control.close();
        }
        for (NodeRuntime node : nodes) {
            node.close();
        }
        for (int node = 0; node < nodes.size(); node++) {
            try {
                Files.deleteIfExists(ControlClient.controlFile(cluster.dir(), LocalCluster.nodeName(node)));
                Files.deleteIfExists(NodeMetrics.metricsFile(cluster.dir(), LocalCluster.nodeName(node)));
            } catch (IOException ignored) {
                // best effort: a stale control file only names a dead endpoint
            }
        }
    }
}
