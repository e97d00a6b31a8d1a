package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.wire.BarrierAckPacket;
import io.jdrbd.replication.wire.BlockAck;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.ConnectionFeatures;
import io.jdrbd.replication.wire.DataPacket;
import io.jdrbd.replication.wire.DpFlags;
import io.jdrbd.replication.wire.EmptyPacket;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** A peer that sends nonsense costs it the connection (ProtocolError), never crashes the engine or leaks. */
class HostilePeerTest {

    private static TwoNodeHarness connected() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        return h;
    }

    private static void receive(TwoNodeHarness.Node node, int from, Stream socket, Packet packet) {
        node.handle(new EngineInput.PacketReceived(from, socket, packet));
    }

    @Test
    void anAckForAWriteNeverSentIsAProtocolError() {
        TwoNodeHarness h = connected();
        receive(h.alice, 1, Stream.META, new BlockAck(PacketType.P_WRITE_ACK, 0, 8, 0x4242L, 4096, 1));

        assertThat(h.alice.events).contains(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:ProtocolError role:Unknown");
        assertThat(h.alice.logs).anyMatch(line -> line.contains("P_WRITE_ACK for unknown block_id 16962"));
        h.pump();
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);
    }

    @Test
    void aBarrierAckWithTheWrongSetSizeIsAProtocolError() {
        TwoNodeHarness h = connected();
        h.bob.autoDisk = false;
        h.alice.write(1, 0, 4096, (byte) 1);
        h.alice.handle(new EngineInput.FlushRequested(2));
        h.pump();
        assertThat(h.alice.sentCount(PacketType.P_BARRIER)).isEqualTo(1);
        int barrier = ((io.jdrbd.replication.wire.BarrierPacket) h.alice.sent.stream()
                .filter(s -> s.packet().type() == PacketType.P_BARRIER).findFirst().orElseThrow().packet()).barrier();

        receive(h.alice, 1, Stream.META, new BarrierAckPacket(barrier, 7));

        assertThat(h.alice.logs).anyMatch(line -> line.contains("BAD! BarrierAck #" + barrier
                + " received with n_writes=7, expected #" + barrier + " with n_writes=1"));
        // The write and the flush still complete: nothing hangs on the broken connection.
        h.alice.completeIo(io -> true, io.jdrbd.blockdev.IoResult.OK);
        assertThat(h.alice.completions).containsKeys(1L, 2L);
    }

    @Test
    void aWriteBeyondTheDeviceIsRefusedAndItsBufferReleased() {
        TwoNodeHarness h = connected();
        ByteBuf data = Unpooled.buffer(4096).writeZero(4096);
        receive(h.bob, 0, Stream.DATA, DataPacket.write(0, TwoNodeHarness.SIZE_BYTES / 512, 1, 1,
                DpFlags.DP_SEND_WRITE_ACK, data));

        assertThat(data.refCnt()).isZero();
        assertThat(h.bob.logs).anyMatch(line -> line.contains("lies beyond the device"));
        assertThat(h.bob.pendingIo).isEmpty();
    }

    @Test
    void aPacketOnTheWrongSocketIsAProtocolError() {
        TwoNodeHarness h = connected();
        receive(h.bob, 0, Stream.DATA, EmptyPacket.PING_ACK);
        assertThat(h.bob.logs).anyMatch(line -> line.contains("P_PING_ACK arrived on the DATA socket"));
    }

    @Test
    void aHandshakePacketAfterConnectingIsAProtocolError() {
        TwoNodeHarness h = connected();
        receive(h.bob, 0, Stream.DATA, new ConnectionFeatures(118, 0, 122, 0, 1));
        assertThat(h.bob.events).contains(
                "change connection name:r0 peer-node-id:0 conn-name:alice connection:ProtocolError role:Unknown");
    }

    @Test
    void aPeerClaimingTheWrongNodeIdIsDroppedAndRetried() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.alice.handle(new EngineInput.TransportConnected(1, Stream.DATA));
        h.alice.handle(new EngineInput.TransportConnected(1, Stream.META));
        receive(h.alice, 1, Stream.DATA, new ConnectionFeatures(118, 0, 122, 5, 0));

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTING);
        assertThat(h.alice.events).contains(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:NetworkFailure");
    }

    @Test
    void dataDuringTheHandshakeIsReleased() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.alice.handle(new EngineInput.TransportConnected(1, Stream.DATA));
        h.alice.handle(new EngineInput.TransportConnected(1, Stream.META));
        ByteBuf data = Unpooled.buffer(512).writeZero(512);
        receive(h.alice, 1, Stream.DATA, DataPacket.write(0, 0, 1, 1, 0, data));

        assertThat(data.refCnt()).isZero();
        assertThat(h.alice.engine.connectionState(1)).isNotEqualTo(ConnState.CONNECTED);
    }
}
