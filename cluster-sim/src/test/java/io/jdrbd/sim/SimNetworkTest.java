package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private final Trace trace = new Trace();
    private final Scheduler scheduler = new Scheduler(trace, 1_000_000);
    private final SimBuffers buffers = new SimBuffers(3);
    private final SimNetwork network = new SimNetwork(scheduler, buffers, new SimRandom(11), trace,
            NetworkOptions.lan(), 3);
    private final Recorder[] nodes = {new Recorder(), new Recorder(), new Recorder()};

    /** Records what a node sees; copies and releases every chunk like a real receiver. */
    static final class Recorder implements SimNetwork.Endpoint {
        final List<SimConnection.End> accepted = new ArrayList<>();
        final List<SimConnection.End> connected = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> closes = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int chunks;

        @Override
        public void onAccepted(SimConnection.End end) {
            accepted.add(end);
        }

        @Override
        public void onConnected(SimConnection.End end) {
            connected.add(end);
        }

        @Override
        public void onConnectFailed(SimConnection.End end, String reason) {
            failures.add(reason);
        }

        @Override
        public void onBytes(SimConnection.End end, ByteBuf bytes) {
            chunks++;
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.readBytes(copy);
            received.writeBytes(copy);
            bytes.release();
        }

        @Override
        public void onClosed(SimConnection.End end, String reason) {
            closes.add(reason);
        }
    }

    @AfterEach
    void noBufferOutlivesTheTest() {
        network.shutdown();
        buffers.assertNoLiveBuffers("after the test");
    }

    private void attachAll() {
        for (int i = 0; i < nodes.length; i++) {
            network.attach(i, nodes[i]);
        }
    }

    private SimConnection.End connected(int from, int to) {
        SimConnection.End end = network.connect(from, to, 0);
        scheduler.runUntil(() -> !nodes[from].connected.isEmpty() || !nodes[from].failures.isEmpty(), Long.MAX_VALUE);
        assertThat(nodes[from].connected).contains(end);
        return end;
    }

    private ByteBuf bytes(int count, int seed) {
        ByteBuf buf = buffers.allocator().heapBuffer(count);
        for (int i = 0; i < count; i++) {
            buf.writeByte(seed + i * 7);
        }
        return buf;
    }

    private byte[] expected(int count, int seed) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (seed + i * 7);
        }
        return out;
    }

    @Test
    void bytesArriveCompleteAndInOrderThoughSplitIntoChunks() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            network.send(end, bytes(1000 + i, i));
            sent.writeBytes(expected(1000 + i, i));
        }
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[1].received.toByteArray()).isEqualTo(sent.toByteArray());
        assertThat(nodes[1].chunks).isGreaterThan(50);
        assertThat(nodes[1].accepted).hasSize(1);
    }

    @Test
    void connectingToADownNodeIsRefused() {
        network.attach(0, nodes[0]);
        network.connect(0, 1, 0);
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[0].failures).containsExactly("connection refused");
    }

    @Test
    void aPartitionHoldsBytesUntilHealAndConnectsTimeOut() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        network.partition(0, 1);
        network.send(end, bytes(100, 1));
        network.connect(0, 1, 1);
        scheduler.runFor(5_000_000_000L);
        assertThat(nodes[1].received.size()).isZero();
        assertThat(nodes[0].failures).containsExactly("connection timed out");
        network.healAll();
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[1].received.toByteArray()).isEqualTo(expected(100, 1));
    }

    @Test
    void aOneWayBlockStopsOnlyThatDirection() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        SimConnection.End back = nodes[1].accepted.get(0);
        network.block(0, 1);
        network.send(end, bytes(10, 1));
        network.send(back, bytes(10, 2));
        scheduler.runFor(1_000_000_000L);
        assertThat(nodes[1].received.size()).isZero();
        assertThat(nodes[0].received.toByteArray()).isEqualTo(expected(10, 2));
    }

    @Test
    void aResetClosesBothSidesAndDropsBytesInFlight() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        network.send(end, bytes(100, 1));
        network.reset(0, 1);
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[0].closes).containsExactly("connection reset");
        assertThat(nodes[1].closes).containsExactly("connection reset");
        assertThat(nodes[1].received.size()).isZero();
        assertThat(network.openConnectionCount()).isZero();
    }

    @Test
    void anOrderlyCloseArrivesAfterTheQueuedBytes() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        network.send(end, bytes(100, 1));
        network.close(end);
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[1].received.toByteArray()).isEqualTo(expected(100, 1));
        assertThat(nodes[1].closes).containsExactly("closed by peer");
        assertThat(nodes[0].closes).isEmpty();
    }

    @Test
    void aCrashedHostIsNoticedByItsPeerOnlyWhenItComesBack() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        network.crash(1);
        network.send(end, bytes(100, 1));
        scheduler.runFor(10_000_000_000L);
        assertThat(nodes[0].closes).isEmpty();
        Recorder restarted = new Recorder();
        network.attach(1, restarted);
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(nodes[0].closes).containsExactly("peer host restarted (connection reset)");
        assertThat(restarted.received.size()).isZero();
    }

    @Test
    void cloggingDelaysDeliveryUntilTheClogEnds() {
        attachAll();
        SimConnection.End end = connected(0, 1);
        long start = scheduler.nowNs();
        network.clog(0, 1, 2_000_000_000L);
        network.send(end, bytes(10, 1));
        scheduler.runUntil(() -> nodes[1].received.size() == 10, Long.MAX_VALUE);
        assertThat(scheduler.nowNs()).isGreaterThanOrEqualTo(start + 2_000_000_000L);
    }

    @Test
    void theSameSeedDeliversTheSameChunksAtTheSameTimes() {
        assertThat(chunkTrace(5)).isEqualTo(chunkTrace(5)).isNotEqualTo(chunkTrace(6));
    }

    private long chunkTrace(long seed) {
        Trace runTrace = new Trace();
        Scheduler runScheduler = new Scheduler(runTrace, 100_000);
        SimNetwork net = new SimNetwork(runScheduler, buffers, new SimRandom(seed), runTrace, NetworkOptions.lan(), 2);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        net.attach(0, a);
        net.attach(1, b);
        SimConnection.End end = net.connect(0, 1, 0);
        runScheduler.runUntil(() -> !a.connected.isEmpty(), Long.MAX_VALUE);
        for (int i = 0; i < 20; i++) {
            net.send(end, bytes(500, i));
        }
        runScheduler.runUntil(() -> false, Long.MAX_VALUE);
        net.shutdown();
        return runTrace.hash();
    }
}
