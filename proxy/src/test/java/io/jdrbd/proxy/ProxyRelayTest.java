package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProxyRelayTest {

    @Test
    void shouldCarryBytesExactlyBothWaysWithCompressionAndBindTheSourceAddressOfTheOriginalPeer() throws Exception {
        byte[] data = TestData.mixed(42, 6 << 20);
        try (ProxyPair pair = new ProxyPair(3, 64L << 20, true); Socket nodeA = pair.connectNodeA()) {
            byte[] echoed = sendAndReadBack(nodeA, data);
            assertThat(echoed).isEqualTo(data);
            Socket atNodeB = pair.nodeB.accepted.get(0);
            assertThat(((InetSocketAddress) atNodeB.getRemoteSocketAddress()).getAddress())
                    .isEqualTo(ProxyPair.NODE_A_IP);
            ConnectionStats.Snapshot sent = pair.proxyA.connectionStatus("r0").stats();
            assertThat(sent.insideReadBytes()).isEqualTo(data.length);
            assertThat(sent.outsideWrittenRawBytes()).isEqualTo(data.length);
            assertThat(sent.compressionRatio()).isGreaterThan(1.5);
            assertThat(sent.blocksCompressed()).isPositive();
            assertThat(sent.blocksRaw()).as("noise blocks are sent raw").isPositive();
        }
    }

    @Test
    void shouldCloseTheNodeSocketWhenTheFarNodeClosesItsSocket() throws Exception {
        try (ProxyPair pair = new ProxyPair(1, 16L << 20, true); Socket nodeA = pair.connectNodeA()) {
            nodeA.getOutputStream().write(new byte[] {1, 2, 3});
            new DataInputStream(nodeA.getInputStream()).readFully(new byte[3]);
            pair.nodeB.accepted.get(0).close();
            assertThat(nodeA.getInputStream().read()).as("end of stream reaches node A").isEqualTo(-1);
        }
    }

    @Test
    void shouldStopReadingFromTheNodeWhenTheBufferIsFullAndLoseNothing() throws Exception {
        long memlimit = ProxyConnectionSpec.MEMLIMIT_MIN_BYTES * 2;
        byte[] data = TestData.mixed(7, 24 << 20);
        try (ProxyPair pair = new ProxyPair(0, memlimit, false); Socket nodeA = pair.connectNodeA()) {
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> writeAll(nodeA, data, written));
            writer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> pair.proxyA.connectionStatus("r0")
                    .stats().blockedEpisodes() > 0);
            ConnectionStats.Snapshot blocked = pair.proxyA.connectionStatus("r0").stats();
            // Bounded: the limit plus one read batch that was in progress when the limit was reached.
            assertThat(blocked.heldPeakBytes()).isLessThanOrEqualTo(memlimit + (2 << 20));
            assertThat(written.get()).as("the node is held back").isLessThan(data.length);

            await().atMost(Duration.ofSeconds(10)).until(() -> !pair.nodeB.accepted.isEmpty());
            byte[] received = new byte[data.length];
            new DataInputStream(pair.nodeB.accepted.get(0).getInputStream()).readFully(received);
            writer.join(10_000);
            assertThat(received).isEqualTo(data);
            assertThat(pair.proxyA.connectionStatus("r0").stats().blockedNanos()).isPositive();
        }
    }

    @Test
    void shouldReportALostPeerProxyAndCarryDataAgainOnceItIsBack() throws Exception {
        try (ProxyPair pair = new ProxyPair(3, 16L << 20, true)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyA.connectionStatus("r0").peerReachable());
            InetSocketAddress outsideB = pair.proxyB.outsideAddress("r0");
            Socket before = pair.connectNodeA();
            assertThat(sendAndReadBack(before, new byte[] {9, 8, 7})).containsExactly(9, 8, 7);

            pair.proxyB.close();
            assertThat(before.getInputStream().read()).as("the node sees its socket close").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !pair.proxyA.connectionStatus("r0").peerReachable());
            ConnectionStatus lost = pair.proxyA.connectionStatus("r0");
            assertThat(lost.stats().peerLosses()).isEqualTo(1);
            assertThat(lost.events()).anyMatch(e -> e.contains("lost"));

            pair.startB(outsideB);
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyA.connectionStatus("r0").peerReachable());
            try (Socket after = pair.connectNodeA()) {
                byte[] data = TestData.mixed(3, 1 << 20);
                assertThat(sendAndReadBack(after, data)).isEqualTo(data);
            }
            before.close();
        }
    }

    @Test
    void shouldCloseTheNodeSocketAndDropEarlyDataWhenTheFarNodeIsNotThere() throws Exception {
        try (ProxyPair pair = new ProxyPair(3, 16L << 20, true)) {
            pair.nodeB.server.close();
            try (Socket nodeA = pair.connectNodeA()) {
                nodeA.getOutputStream().write(TestData.mixed(5, 300_000));
                assertThat(nodeA.getInputStream().read()).as("node A sees the socket close").isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyB.connectionStatus("r0").events().stream()
                    .anyMatch(e -> e.contains("unreachable")));
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.proxyA.connectionStatus("r0").stats()
                    .heldBytes() == 0);
        }
    }

    static byte[] sendAndReadBack(Socket socket, byte[] data) throws Exception {
        Thread writer = new Thread(() -> writeAll(socket, data, new AtomicLong()));
        writer.start();
        byte[] back = new byte[data.length];
        InputStream in = socket.getInputStream();
        new DataInputStream(in).readFully(back);
        writer.join(10_000);
        return back;
    }

    static void writeAll(Socket socket, byte[] data, AtomicLong written) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int at = 0; at < data.length; at += 32 * 1024) {
                int n = Math.min(32 * 1024, data.length - at);
                out.write(data, at, n);
                written.addAndGet(n);
            }
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
