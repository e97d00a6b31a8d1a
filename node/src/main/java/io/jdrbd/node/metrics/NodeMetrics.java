package io.jdrbd.node.metrics;

import io.jdrbd.node.control.ResourceStatus;
import io.jdrbd.node.runtime.NodeRuntime;
import io.jdrbd.node.runtime.ResourceRuntime;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's Prometheus endpoint ({@code http://BIND:PORT/metrics}): drbd-reactor's DRBD metrics (same
 * names, labels and meanings, see {@link DrbdMetricFamilies}) for every resource of the node, plus the
 * JVM's metrics. Each scrape takes a fresh {@link ResourceStatus} snapshot on each resource's loop.
 */
public final class NodeMetrics implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeMetrics.class.getName());

    private final HTTPServer server;

    private NodeMetrics(HTTPServer server) {
        this.server = server;
    }

    /** Starts the endpoint on {@code bind:port} (port 0: any free port). */
    public static NodeMetrics start(NodeRuntime node, String bind, int port) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        registry.register((MultiCollector) () -> collect(node));
        HTTPServer server = HTTPServer.builder().inetAddress(InetAddress.getByName(bind)).port(port)
                .registry(registry).buildAndStart();
        return new NodeMetrics(server);
    }

    static MetricSnapshots collect(NodeRuntime node) {
        List<ResourceStatus> snapshots = new ArrayList<>();
        for (ResourceRuntime resource : node.resources().values()) {
            try {
                snapshots.add(ResourceStatus.of(resource).get(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // a resource going down while scraped is left out of this scrape
                LOG.log(Level.FINE, "metrics: no snapshot of " + resource.name(), e);
            }
        }
        return DrbdMetricFamilies.of(snapshots);
    }

    /** {@code DIR/NODE.metrics}: holds {@code HOST:PORT} of the node's metrics endpoint, next to its control file. */
    public static Path metricsFile(Path dir, String node) {
        return dir.resolve(node + ".metrics");
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
