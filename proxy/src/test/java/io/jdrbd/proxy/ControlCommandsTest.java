package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ControlCommandsTest {

    @Test
    void shouldReportConnectionsMemoryAndPluginsOverTheControlPort() throws Exception {
        byte[] data = "the same sentence again and again; ".repeat(30_000).getBytes();
        try (ProxyPair pair = new ProxyPair(3, 32L << 20, true);
             ProxyControlClient ctl = new ProxyControlClient(pair.proxyA.controlAddress())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyA.connectionStatus("r0").peerReachable());
            try (Socket nodeA = pair.connectNodeA()) {
                assertThat(ProxyRelayTest.sendAndReadBack(nodeA, data)).isEqualTo(data);
                Map<String, String> row = rows(ctl.execute("show hconnections")).get(0);
                assertThat(row.get("Name")).isEqualTo("r0");
                assertThat(row.get("Status")).isEqualTo("Connected");
                assertThat(row.get("Inside")).isEqualTo("1.00MiB");
                assertThat(Double.parseDouble(row.get("CompressionRatio"))).isGreaterThan(10);

                Map<String, String> bytes = rows(ctl.execute("list connections")).get(0);
                assertThat(Long.parseLong(bytes.get("Inside"))).isEqualTo(data.length);

                List<Map<String, String>> sockets = rows(ctl.execute("list subconnections"));
                assertThat(sockets).hasSize(1);
                assertThat(Long.parseLong(sockets.get(0).get("FromNode"))).isEqualTo(data.length);

                Map<String, String> memory = rows(ctl.execute("show memusage")).get(0);
                assertThat(Long.parseLong(memory.get("Limit"))).isEqualTo(32L << 20);
                assertThat(Long.parseLong(memory.get("Peak"))).isPositive();
            }
            assertThat(ctl.execute("list plugins")).isEqualTo("connection r0:\n\tzstd level 3");
            assertThat(ctl.execute("set memlimit r0 64M")).contains("67108864");
            assertThat(ctl.execute("show")).contains("set memlimit r0 67108864").contains("set plugin r0 zstd level 3");
            assertThat(ctl.execute("list details")).contains("inside-read-bytes " + data.length);
            assertThat(ctl.execute("set plugin r0 zlib level 9")).contains("zstd level 9");
            assertThat(ctl.execute("frobnicate")).startsWith("error: unknown command");
        }
    }

    @Test
    void shouldAddAndDeleteConnectionsAndShutDown() throws Exception {
        String lo = InetAddress.getLoopbackAddress().getHostAddress();
        try (ProxyPair pair = new ProxyPair(0, 16L << 20, true);
             ProxyControlClient ctl = new ProxyControlClient(pair.proxyA.controlAddress())) {
            assertThat(ctl.execute("add connection r1 " + lo + ":0 " + lo + ":1 " + lo + ":0 " + lo + ":2"))
                    .isEqualTo("connection r1 added");
            assertThat(rows(ctl.execute("list connections"))).extracting(r -> r.get("Name"))
                    .containsExactly("r0", "r1");
            assertThat(ctl.execute("add connection r1 " + lo + ":0 " + lo + ":1 " + lo + ":0 " + lo + ":2"))
                    .startsWith("error: connection r1 exists");
            assertThat(ctl.execute("add connection r2 nonsense")).startsWith("error: usage");
            assertThat(ctl.execute("del connection r1")).isEqualTo("connection r1 deleted");
            assertThat(ctl.execute("del connection r1")).startsWith("error: no connection r1");
            assertThat(ctl.execute("shutdown")).isEqualTo("shutting down");
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyA.terminated().isDone());
        }
    }

    /** Parses a header-and-rows table into one map per row. */
    static List<Map<String, String>> rows(String table) {
        List<String> lines = Arrays.asList(table.split("\n"));
        String[] header = lines.get(0).trim().split("\\s+");
        return lines.subList(1, lines.size()).stream().map(line -> {
            String[] cells = line.trim().split("\\s+");
            assertThat(cells).hasSize(header.length);
            return java.util.stream.IntStream.range(0, header.length).boxed()
                    .collect(Collectors.toMap(i -> header[i], i -> cells[i]));
        }).collect(Collectors.toList());
    }
}
