package io.jdrbd.cli.adm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.cli.cluster.ClusterRunner;
import io.jdrbd.cli.cluster.LocalCluster;
import io.jdrbd.node.control.ControlClient;
import io.jdrbd.node.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin surface against a live two-node cluster on loopback in this JVM: {@code jdrbd adm} and
 * {@code jdrbd setup} through the control endpoints, events2 through disconnect, connect and a
 * role switch, and the Prometheus endpoint during writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveClusterAdminTest {

    /** The events2 line grammar of drbd-events2.md: action, object, then key:value tokens. */
    private static final Pattern EVENTS2_LINE = Pattern.compile(
            "(exists|create|change|destroy) (resource|connection|device|peer-device|path)( [a-z_-]+:[^ ]+)+");

    @TempDir
    static Path dir;

    private static ClusterRunner runner;

    @BeforeAll
    static void startCluster() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Exception last = null;
        for (int attempt = 0; attempt < 5 && runner == null; attempt++) {
            // replication ports are fixed per cluster (each node on its own 127.0.0.x): pick one, retry if taken
            int basePort = 20000 + random.nextInt(40000);
            LocalCluster cluster = new LocalCluster(dir.resolve("c" + attempt), 2, 'C', basePort, 16L << 20);
            cluster.prepare();
            ClusterRunner candidate = new ClusterRunner(cluster);
            try {
                candidate.start(0, () -> { });
                runner = candidate;
            } catch (Exception e) {
                candidate.close();
                last = new Exception("cluster start failed (seed " + seed + ", base port " + basePort + ")", e);
            }
        }
        if (runner == null) {
            throw last;
        }
    }

    @AfterAll
    static void stopCluster() {
        if (runner != null) {
            runner.close();
        }
    }

    private static Path clusterDir() throws Exception {
        try (var dirs = Files.list(dir)) {
            return dirs.filter(d -> Files.exists(d.resolve("node0.control"))).findFirst().orElseThrow();
        }
    }

    private static AdmRun jdrbd(String... args) {
        return AdmRun.of(args);
    }

    @Test
    @Order(1)
    void plainStatusOfEachNodeIsDrbdsetupsText() throws Exception {
        String clusterDir = clusterDir().toString();
        AdmRun primary = jdrbd("setup", "status", "--dir", clusterDir, "--node", "node0");
        assertThat(primary.status()).isZero();
        assertThat(primary.out()).isEqualTo("r0 role:Primary\n  disk:UpToDate open:no\n  node1 role:Secondary\n"
                + "    peer-disk:UpToDate\n\n");
        AdmRun secondary = jdrbd("adm", "status", "r0", "--dir", clusterDir, "--node", "node1");
        assertThat(secondary.out()).isEqualTo("r0 role:Secondary\n  disk:UpToDate open:no\n  node0 role:Primary\n"
                + "    peer-disk:UpToDate\n\n");
        AdmRun verbose = jdrbd("setup", "status", "--verbose", "--dir", clusterDir, "--node", "node1");
        // the long temporary backing_dev path wraps at column 80, as drbdsetup wraps it (see StatusTextTest)
        assertThat(verbose.out()).startsWith("r0 node-id:1 role:Secondary suspended:no force-io-failures:no\n"
                + "  volume:0 minor:0 disk:UpToDate")
                .contains(" backing_dev:" + clusterDir + "/node1.img quorum:yes open:no\n")
                .contains("  node0 node-id:0 connection:Connected role:Primary tls:no\n"
                        + "    volume:0 replication:Established peer-disk:UpToDate resync-suspended:no\n\n");
    }

    @Test
    @Order(2)
    void roleCstateDstateUseDrbdadmsOneLineFormats() throws Exception {
        String clusterDir = clusterDir().toString();
        assertThat(jdrbd("adm", "role", "r0", "--dir", clusterDir, "--node", "node0").out()).isEqualTo("Primary\n");
        assertThat(jdrbd("adm", "cstate", "r0", "--dir", clusterDir, "--node", "node0").out())
                .isEqualTo("Connected\n");
        assertThat(jdrbd("adm", "dstate", "r0", "--dir", clusterDir, "--node", "node1").out())
                .isEqualTo("UpToDate/UpToDate\n");
        AdmRun unknown = jdrbd("adm", "role", "r9", "--dir", clusterDir, "--node", "node1");
        assertThat(unknown.status()).as(unknown.err()).isEqualTo(10);
        assertThat(unknown.err()).isEqualTo("r9: No such resource\n");
    }

    @Test
    @Order(3)
    void jsonStatusParsesWithDrbdsetupsKeys() throws Exception {
        AdmRun json = jdrbd("setup", "status", "--json", "--dir", clusterDir().toString(), "--node", "node0");
        JsonNode resource = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(resource.get("role").asText()).isEqualTo("Primary");
        assertThat(resource.get("devices").get(0).get("disk-state").asText()).isEqualTo("UpToDate");
        assertThat(resource.get("devices").get(0).has("written")).isTrue();
        assertThat(resource.get("devices").get(0).has("lower-pending")).isTrue();
        JsonNode connection = resource.get("connections").get(0);
        assertThat(connection.get("peer-node-id").asInt()).isEqualTo(1);
        JsonNode peerDevice = connection.get("peer_devices").get(0);
        assertThat(peerDevice.get("out-of-sync").asLong()).isZero();
        assertThat(peerDevice.has("received")).isTrue();
    }

    @Test
    @Order(4)
    void promotingASecondaryNextToAPrimaryIsRefusedWithDrbdsReason() throws Exception {
        AdmRun refused = jdrbd("adm", "primary", "r0", "--dir", clusterDir().toString(), "--node", "node1");
        assertThat(refused.status()).isEqualTo(11);
        assertThat(refused.err()).isEqualTo("r0: State change failed: (-1) Multiple primaries not allowed by config\n"
                + "Command 'drbdsetup primary r0' terminated with exit code 11\n");
        AdmRun dryRun = jdrbd("adm", "-d", "primary", "r0", "--force", "-c", clusterDir().resolve("r0.res").toString(),
                "--node", "node1");
        assertThat(dryRun.status()).isZero();
        assertThat(dryRun.out()).isEqualTo("drbdsetup primary r0 --force\n");
    }

    @Test
    @Order(5)
    void events2NowPrintsTheStateAndOneTerminator() throws Exception {
        List<String> lines = new ArrayList<>();
        ControlClient.forNode(clusterDir(), "node1").stream("/events2", Map.of("now", "1"), lines::add);
        assertThat(lines).last().isEqualTo("exists -");
        assertThat(lines).filteredOn("exists -"::equals).hasSize(1);
        assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(line -> {
            assertThat(line).matches(EVENTS2_LINE).startsWith("exists ");
        });
        assertThat(lines.get(0)).isEqualTo("exists resource name:r0 role:Secondary suspended:no "
                + "force-io-failures:no may_promote:no promotion_score:10102");
        AdmRun command = jdrbd("setup", "events2", "--now", "--dir", clusterDir().toString(), "--node", "node1");
        assertThat(command.status()).isZero();
        assertThat(command.out()).isEqualTo(String.join("\n", lines) + "\n");
        AdmRun unknown = jdrbd("setup", "events2", "r9", "--now", "--dir", clusterDir().toString(), "--node",
                "node1");
        assertThat(unknown.status()).isEqualTo(10);
        assertThat(unknown.err()).isEqualTo("r9: No such resource\n");
    }

    @Test
    @Order(6)
    void events2FollowsARoleSwitch() throws Exception {
        Path clusterDir = clusterDir();
        LinkedBlockingQueue<String> lines = events2Reader(clusterDir, "node1");
        List<String> seen = new ArrayList<>();
        awaitLine(lines, seen, "exists -");
        String d = clusterDir.toString();
        assertThat(jdrbd("adm", "secondary", "r0", "--dir", d, "--node", "node0").status()).isZero();
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 role:Secondary");
        assertThat(jdrbd("adm", "primary", "r0", "--dir", d, "--node", "node1").status()).isZero();
        awaitLine(lines, seen, "change resource name:r0 role:Primary");
        assertThat(jdrbd("adm", "role", "r0", "--dir", d, "--node", "node1").out()).isEqualTo("Primary\n");
        assertThat(jdrbd("adm", "secondary", "r0", "--dir", d, "--node", "node1").status()).isZero();
        awaitLine(lines, seen, "change resource name:r0 role:Secondary");
        assertThat(jdrbd("adm", "primary", "r0", "--dir", d, "--node", "node0").status()).isZero();
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 role:Primary");
        assertGrammar(seen);
    }

    /** Runs last: an administrative disconnect of node1, then connect brings it back to Connected. */
    @Test
    @Order(99)
    void events2FollowsDisconnectAndConnect() throws Exception {
        Path clusterDir = clusterDir();
        LinkedBlockingQueue<String> lines = events2Reader(clusterDir, "node1");
        List<String> seen = new ArrayList<>();
        awaitLine(lines, seen, "exists -");
        String d = clusterDir.toString();
        assertThat(jdrbd("adm", "disconnect", "r0", "--dir", d, "--node", "node1").status()).isZero();
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 connection:Disconnecting");
        awaitLine(lines, seen, "change peer-device name:r0 peer-node-id:0 conn-name:node0 volume:0 replication:Off");
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 connection:StandAlone");
        assertThat(jdrbd("adm", "cstate", "r0", "--dir", d, "--node", "node1").out()).isEqualTo("StandAlone\n");
        assertThat(jdrbd("setup", "status", "r0", "--dir", d, "--node", "node1").out()).isEqualTo(
                "r0 role:Secondary\n  disk:UpToDate open:no\n  node0 connection:StandAlone\n\n");
        AdmRun again = jdrbd("adm", "disconnect", "r0", "--dir", d, "--node", "node1");
        assertThat(again.status()).isEqualTo(11);
        assertThat(again.err()).startsWith("r0: State change failed: (-9) Can not disconnect a StandAlone device\n");
        assertThat(jdrbd("adm", "connect", "r0", "--dir", d, "--node", "node1").status()).isZero();
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 connection:Connecting");
        awaitLine(lines, seen, "change connection name:r0 peer-node-id:0 conn-name:node0 connection:Connected");
        assertGrammar(seen);
    }

    private static LinkedBlockingQueue<String> events2Reader(Path clusterDir, String node) {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                ControlClient.forNode(clusterDir, node).stream("/events2", Map.of("res", "r0"), lines::add);
            } catch (Exception ignored) {
                // the stream ends when the cluster stops
            }
        }, "events2-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void assertGrammar(List<String> seen) {
        for (String line : seen) {
            if (!line.equals("exists -")) {
                assertThat(line).matches(EVENTS2_LINE);
            }
        }
        assertThat(seen).filteredOn("exists -"::equals).hasSize(1);
    }

    /** Reads lines until one starts with {@code prefix}. */
    private static void awaitLine(LinkedBlockingQueue<String> lines, List<String> seen, String prefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return;
                }
            }
        }
        throw new AssertionError("no events2 line starting with '" + prefix + "' within 30 s; saw " + seen);
    }

    @Test
    @Order(7)
    void metricsCountWritesOnBothNodesAndAgreeWithStatus() throws Exception {
        Path clusterDir = clusterDir();
        String primaryEndpoint = Files.readString(NodeMetrics.metricsFile(clusterDir, "node0")).trim();
        String secondaryEndpoint = Files.readString(NodeMetrics.metricsFile(clusterDir, "node1")).trim();
        double writtenBefore = metric(primaryEndpoint, "drbd_device_written_bytes_total");
        double sentBefore = metric(primaryEndpoint, "drbd_peerdevice_sent_bytes");
        double receivedBefore = metric(secondaryEndpoint, "drbd_peerdevice_received_bytes");
        BlockDevice device = runner.nodes().get(0).nbd().exports().resolve("r0").orElseThrow().device();
        ByteBuf data = Unpooled.directBuffer(256 * 1024).writeZero(256 * 1024);
        try {
            IoResult result = device.write(4096, data, 0).get(30, TimeUnit.SECONDS);
            assertThat(result.ok()).as("%s", result).isTrue();
        } finally {
            data.release();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(metric(primaryEndpoint, "drbd_device_written_bytes_total")).isGreaterThanOrEqualTo(
                    writtenBefore + 256 * 1024);
            assertThat(metric(primaryEndpoint, "drbd_peerdevice_sent_bytes")).isGreaterThanOrEqualTo(
                    sentBefore + 256 * 1024);
            assertThat(metric(secondaryEndpoint, "drbd_peerdevice_received_bytes")).isGreaterThanOrEqualTo(
                    receivedBefore + 256 * 1024);
            assertThat(metric(secondaryEndpoint, "drbd_device_written_bytes_total")).isGreaterThanOrEqualTo(
                    256 * 1024);
            // the first write to a cold 4 MiB extent commits an activity-log transaction
            assertThat(metric(primaryEndpoint, "drbd_device_alwrites_total")).isGreaterThanOrEqualTo(1);
        });
        String text = scrape(primaryEndpoint);
        assertThat(text).contains("drbd_resource_role{drbd_resource_role=\"Primary\",name=\"r0\"} 1.0")
                .contains("drbd_device_state{drbd_device_state=\"UpToDate\",minor=\"0\",name=\"r0\",volume=\"0\"} 1.0")
                .contains("drbd_connection_state{conn_name=\"node1\",drbd_connection_state=\"Connected\",name=\"r0\","
                        + "peer_node_id=\"1\"} 1.0")
                .contains("# TYPE drbd_device_written_bytes_total counter")
                .contains("jvm_memory_used_bytes");
        JsonNode status = new ObjectMapper().readTree(jdrbd("setup", "status", "--json", "--dir",
                clusterDir.toString(), "--node", "node0").out()).get(0);
        assertThat(status.get("devices").get(0).get("written").asLong() * 1024)
                .isEqualTo((long) metric(primaryEndpoint, "drbd_device_written_bytes_total"));
    }

    private static String scrape(String endpoint) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + endpoint + "/metrics")).build(), HttpResponse.BodyHandlers.ofString(
                StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one sample of {@code name} for resource r0. */
    private static double metric(String endpoint, String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*name=\"r0\"[^}]*\\} (\\S+)$")
                .matcher(scrape(endpoint));
        assertThat(matcher.find()).as("metric %s", name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
