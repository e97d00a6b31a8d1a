package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.PacketType;
import org.junit.jupiter.api.Test;

class LivenessTest {

    private static final long SECOND = 1_000_000_000L;

    private static TwoNodeHarness primary(java.util.function.UnaryOperator<EngineConfig.Builder> tune) {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(tune);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        return h;
    }

    @Test
    void anIdleMetaSocketIsPingedAndAnsweredSoTheConnectionStays() {
        TwoNodeHarness h = primary(b -> b);
        h.advance(25 * SECOND);

        assertThat(h.alice.sentCount(PacketType.P_PING)).isGreaterThanOrEqualTo(2);
        assertThat(h.bob.sentCount(PacketType.P_PING_ACK)).isGreaterThanOrEqualTo(2);
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);
    }

    @Test
    void aMissingPingAckDropsTheConnectionAndItComesBackAfterTheNetworkHeals() {
        TwoNodeHarness h = primary(b -> b);
        h.partition();
        h.advance(10 * SECOND + 600_000_000L);

        assertThat(h.alice.logs).anyMatch(line -> line.endsWith("bob: PingAck did not arrive in time."));
        assertThat(h.alice.events).contains(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:NetworkFailure role:Unknown",
                "change peer-device name:r0 peer-node-id:1 conn-name:bob volume:0 replication:Off"
                        + " peer-disk:DUnknown peer-client:no",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Unconnected",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Connecting");
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTING);

        h.networkFlowing = true;
        h.advance(11 * SECOND);
        h.pump();
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.CONNECTED);
    }

    @Test
    void writesContinueLocallyWhileDisconnectedAndMarkThePeersBitmap() {
        TwoNodeHarness h = primary(b -> b);
        long before = h.alice.engine.metadata().currentUuid();
        long reply = h.alice.admin(AdminVerb.DISCONNECT, 0);
        h.pump();
        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.alice.events).endsWith(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Disconnecting role:Unknown",
                "change peer-device name:r0 peer-node-id:1 conn-name:bob volume:0 replication:Off"
                        + " peer-disk:DUnknown peer-client:no",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:StandAlone");
        // The peer saw a graceful disconnect: TearDown, then it keeps trying to reconnect.
        assertThat(h.bob.events).contains(
                "change connection name:r0 peer-node-id:0 conn-name:alice connection:TearDown role:Unknown");
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.CONNECTING);

        h.alice.write(1, 3 * 4096L, 8192, (byte) 5);
        h.pump();

        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.alice.engine.outOfSyncBlocks(1)).isEqualTo(2);
        assertThat(h.alice.engine.isOutOfSync(1, 3)).isTrue();
        assertThat(h.alice.engine.isOutOfSync(1, 5)).isFalse();
        MetadataRecord after = h.alice.engine.metadata();
        // A new data generation: the old current UUID now names the point where bob diverged.
        assertThat(after.currentUuid() & ~1L).isNotEqualTo(before & ~1L);
        assertThat(after.bitmapUuids()[1]).isEqualTo(before & ~1L);
    }

    @Test
    void pendingProtocolCWritesCompleteWhenTheConnectionIsLost() {
        TwoNodeHarness h = primary(b -> b.protocol(Protocol.C));
        h.bob.autoDisk = false;
        h.alice.write(1, 0, 4096, (byte) 1);
        h.pump();
        assertThat(h.alice.completions).doesNotContainKey(1L);

        h.partition();
        h.advance(11 * SECOND);

        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.alice.engine.outOfSyncBlocks(1)).isEqualTo(1);
        assertThat(h.alice.engine.transferLogSize()).isZero();
    }

    @Test
    void aPeerThatNeverAcksTimesOutAfterKoCountTimesTimeout() {
        TwoNodeHarness h = primary(b -> b.protocol(Protocol.C).timeoutNs(SECOND).koCount(3));
        h.bob.autoDisk = false;
        h.alice.write(1, 0, 4096, (byte) 1);
        h.pump();
        h.advance(2 * SECOND);
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);

        h.advance(1_500_000_000L);

        assertThat(h.alice.events).contains(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Timeout role:Unknown");
        assertThat(h.alice.completions.get(1L).ok()).isTrue();
    }

    @Test
    void aFailedPeerWriteIsNegativelyAckedAndMarkedOutOfSync() {
        TwoNodeHarness h = primary(b -> b.protocol(Protocol.C));
        h.bob.autoDisk = false;
        h.alice.write(1, 0, 4096, (byte) 1);
        h.pump();
        h.bob.completeIo(io -> io.kind() == EngineOutput.Kind.SUBMIT_DISK_WRITE, TwoNodeHarness.eio());
        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.bob.sentCount(PacketType.P_NEG_ACK)).isEqualTo(1);
        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.alice.engine.isOutOfSync(1, 0)).isTrue();
        assertThat(h.alice.engine.peerDiskState(1)).isEqualTo(DiskState.UP_TO_DATE);
    }

    @Test
    void aWriteThatFailsEverywhereFails() {
        TwoNodeHarness h = primary(b -> b.protocol(Protocol.C));
        h.alice.autoDisk = false;
        h.bob.autoDisk = false;
        h.alice.write(1, 0, 4096, (byte) 1);
        h.pump();
        h.alice.completeIo(io -> true, TwoNodeHarness.eio());
        h.bob.completeIo(io -> true, TwoNodeHarness.eio());
        h.pump();

        IoResult result = h.alice.completions.get(1L);
        assertThat(result.ok()).isFalse();
    }
}
