package io.jdrbd.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.node.control.ResourceStatus;
import io.jdrbd.node.runtime.NodeRuntime;
import io.jdrbd.node.runtime.ResourceRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A local cluster in this JVM: real TCP on loopback between nodes, file-backed disks. */
class LocalClusterTest {

    private static final long SIZE = 16L << 20;

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static BlockDevice exportedDevice(NodeRuntime node) {
        return node.nbd().exports().resolve(LocalCluster.RESOURCE).orElseThrow().device();
    }

    private static byte[] readImage(Path image, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        }
    }

    private static IoResult write(BlockDevice device, long offset, byte[] data) throws Exception {
        ByteBuf buffer = Unpooled.wrappedBuffer(data);
        try {
            return device.write(offset, buffer, 0).get(30, TimeUnit.SECONDS);
        } finally {
            buffer.release();
        }
    }

    @ParameterizedTest(name = "protocol {0}: writes to the primary reach both backing files")
    @ValueSource(chars = {'A', 'B', 'C'})
    void writesToThePrimaryReachBothBackingFiles(char protocol) throws Exception {
        LocalCluster cluster = new LocalCluster(dir, 2, protocol, freePort(), SIZE);
        cluster.prepare();
        try (ClusterRunner runner = new ClusterRunner(cluster)) {
            runner.start(0, () -> { });
            BlockDevice primary = exportedDevice(runner.nodes().get(0));
            byte[] data = new byte[256 * 1024];
            new Random(protocol).nextBytes(data);
            assertThat(write(primary, 1 << 20, data).ok()).isTrue();
            assertThat(primary.flush().get(30, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(readImage(cluster.image(0), 1 << 20, data.length)).isEqualTo(data);
            // protocol A/B complete before the peer's disk write: wait for the secondary's copy
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(readImage(cluster.image(1), 1 << 20, data.length)).isEqualTo(data));
        }
    }

    @Test
    void aSecondaryRefusesWritesWhileAnotherNodeIsPrimary() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, 2, 'C', freePort(), SIZE);
        cluster.prepare();
        try (ClusterRunner runner = new ClusterRunner(cluster)) {
            runner.start(0, () -> { });
            BlockDevice secondary = exportedDevice(runner.nodes().get(1));
            IoResult result = write(secondary, 0, new byte[4096]);
            assertThat(result.ok()).isFalse();
            assertThat(readImage(cluster.image(1), 0, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void writesContinueLocallyWhenThePeerIsGoneAndAreMarkedOutOfSync() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, 2, 'C', freePort(), SIZE);
        cluster.prepare();
        try (ClusterRunner runner = new ClusterRunner(cluster)) {
            runner.start(0, () -> { });
            NodeRuntime primaryNode = runner.nodes().get(0);
            runner.nodes().get(1).close();
            ResourceRuntime resource = primaryNode.resource(LocalCluster.RESOURCE);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !ResourceStatus.of(resource).get().peers().get(0).connection().equals("Connected"));
            byte[] data = new byte[64 * 1024];
            new Random(7).nextBytes(data);
            assertThat(write(exportedDevice(primaryNode), 0, data).ok()).isTrue();
            assertThat(readImage(cluster.image(0), 0, data.length)).isEqualTo(data);
            ResourceStatus status = ResourceStatus.of(resource).get();
            assertThat(status.peers().get(0).outOfSyncKib()).isEqualTo(64);
        }
    }

    @Test
    void aDisconnectedPrimaryReconnectsOnConnect() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, 2, 'C', freePort(), SIZE);
        cluster.prepare();
        try (ClusterRunner runner = new ClusterRunner(cluster)) {
            runner.start(0, () -> { });
            ResourceRuntime primary = runner.nodes().get(0).resource(LocalCluster.RESOURCE);
            ResourceRuntime secondary = runner.nodes().get(1).resource(LocalCluster.RESOURCE);
            assertThat(primary.admin(io.jdrbd.replication.engine.AdminVerb.DISCONNECT, -1, 0)
                    .get(30, TimeUnit.SECONDS).ok()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    ResourceStatus.of(primary).get().peers().get(0).connection().equals("StandAlone"));
            assertThat(primary.admin(io.jdrbd.replication.engine.AdminVerb.CONNECT, -1, 0)
                    .get(30, TimeUnit.SECONDS).ok()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ResourceStatus.of(primary).get().peers().get(0).connection().equals("Connected")
                    && ResourceStatus.of(secondary).get().peers().get(0).connection().equals("Connected"));
        }
    }
}
