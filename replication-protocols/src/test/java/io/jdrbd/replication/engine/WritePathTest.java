package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.Stream;
import org.junit.jupiter.api.Test;

class WritePathTest {

    private static boolean isWrite(EngineOutput io) {
        return io.kind() == EngineOutput.Kind.SUBMIT_DISK_WRITE;
    }

    private static TwoNodeHarness primaryWith(Protocol protocol) {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.protocol(protocol));
        long reply = h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        h.alice.autoDisk = false;
        h.bob.autoDisk = false;
        return h;
    }

    @Test
    void protocolCCompletesOnlyAfterThePeersWriteAck() {
        TwoNodeHarness h = primaryWith(Protocol.C);
        h.alice.write(1, 8192, 4096, (byte) 7);
        h.pump();
        assertThat(h.alice.completeIo(WritePathTest::isWrite, IoResult.OK)).isEqualTo(1);
        h.pump();
        assertThat(h.alice.completions).doesNotContainKey(1L);

        assertThat(h.bob.completeIo(WritePathTest::isWrite, IoResult.OK)).isEqualTo(1);
        assertThat(h.alice.completions).doesNotContainKey(1L);
        h.pump();

        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.bob.disk[8192]).isEqualTo((byte) 7);
        assertThat(h.bob.sentCount(PacketType.P_WRITE_ACK)).isEqualTo(1);
        assertThat(h.bob.sentCount(PacketType.P_RECV_ACK)).isZero();
    }

    @Test
    void protocolCWaitsForTheLocalWriteEvenAfterTheWriteAck() {
        TwoNodeHarness h = primaryWith(Protocol.C);
        h.alice.write(1, 0, 4096, (byte) 1);
        h.pump();
        h.bob.completeIo(WritePathTest::isWrite, IoResult.OK);
        h.pump();
        assertThat(h.alice.completions).doesNotContainKey(1L);
        h.alice.completeIo(WritePathTest::isWrite, IoResult.OK);
        assertThat(h.alice.completions.get(1L).ok()).isTrue();
    }

    @Test
    void protocolBCompletesOnTheReceiveAckBeforeThePeerWrites() {
        TwoNodeHarness h = primaryWith(Protocol.B);
        h.alice.write(1, 0, 4096, (byte) 2);
        h.alice.completeIo(WritePathTest::isWrite, IoResult.OK);
        assertThat(h.alice.completions).doesNotContainKey(1L);

        h.pump();

        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.bob.pendingIo.values()).anyMatch(WritePathTest::isWrite);
        assertThat(h.bob.sentCount(PacketType.P_RECV_ACK)).isEqualTo(1);
    }

    @Test
    void protocolACompletesWhenTheLocalWriteIsDoneAndThePacketHandedOver() {
        TwoNodeHarness h = primaryWith(Protocol.A);
        h.alice.write(1, 0, 4096, (byte) 3);
        assertThat(h.alice.sent).anyMatch(send -> send.packet().type() == PacketType.P_DATA);
        assertThat(h.alice.completions).doesNotContainKey(1L);

        h.alice.completeIo(WritePathTest::isWrite, IoResult.OK);

        assertThat(h.alice.completions.get(1L).ok()).isTrue();
        assertThat(h.bob.pendingIo).isEmpty();
    }

    @Test
    void aBarrierClosesEveryMaxEpochSizeWrites() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.maxEpochSize(4));
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        h.alice.autoDisk = false;
        h.bob.autoDisk = false;
        for (int i = 0; i < 10; i++) {
            h.alice.write(100 + i, i * 4096L, 4096, (byte) i);
        }
        assertThat(h.alice.sentCount(PacketType.P_DATA)).isEqualTo(10);
        assertThat(h.alice.sentCount(PacketType.P_BARRIER)).isEqualTo(2);

        h.alice.autoDisk = true;
        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.alice.completions).hasSize(10);
        assertThat(h.bob.sentCount(PacketType.P_BARRIER_ACK)).isEqualTo(h.alice.sentCount(PacketType.P_BARRIER));
        assertThat(h.alice.engine.transferLogSize()).isZero();
    }

    @Test
    void theSecondaryWritesTheNextEpochOnlyAfterTheClosedOneIsWrittenAndFlushed() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.maxEpochSize(2));
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        h.bob.autoDisk = false;
        h.alice.autoDisk = false;
        for (int i = 0; i < 4; i++) {
            h.alice.write(i, i * 4096L, 4096, (byte) (i + 1));
        }
        h.pump();
        assertThat(h.bob.pendingIo.values()).filteredOn(WritePathTest::isWrite).hasSize(2);

        h.bob.completeIo(WritePathTest::isWrite, IoResult.OK);
        assertThat(h.bob.pendingIo.values()).allMatch(io -> io.kind() == EngineOutput.Kind.SUBMIT_DISK_FLUSH);
        assertThat(h.bob.sentCount(PacketType.P_BARRIER_ACK)).isZero();

        h.bob.completeIo(io -> io.kind() == EngineOutput.Kind.SUBMIT_DISK_FLUSH, IoResult.OK);
        assertThat(h.bob.sentCount(PacketType.P_BARRIER_ACK)).isEqualTo(1);
        assertThat(h.bob.pendingIo.values()).filteredOn(WritePathTest::isWrite).hasSize(2);
    }

    @Test
    void fuaAndTrimAndZeroesAreReplicated() {
        TwoNodeHarness h = primaryWith(Protocol.C);
        io.netty.buffer.ByteBuf data = io.netty.buffer.Unpooled.buffer(4096).writeZero(4096);
        h.alice.handle(new EngineInput.WriteRequested(1, 0, data, EngineInput.FLAG_FUA));
        h.alice.handle(new EngineInput.TrimRequested(2, 65536, 8192));
        h.alice.handle(new EngineInput.ZeroesRequested(3, 131072, 4096, false));
        h.alice.autoDisk = true;
        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.bob.submitted).anyMatch(io -> io instanceof EngineOutput.SubmitDiskWrite w
                && (w.flags() & EngineInput.FLAG_FUA) != 0);
        assertThat(h.bob.submitted).anyMatch(io -> io instanceof EngineOutput.SubmitDiskTrim t
                && t.offsetBytes() == 65536 && t.lengthBytes() == 8192);
        assertThat(h.bob.submitted).anyMatch(io -> io instanceof EngineOutput.SubmitDiskZeroes z
                && z.offsetBytes() == 131072 && z.lengthBytes() == 4096);
        assertThat(h.alice.sentCount(PacketType.P_TRIM)).isEqualTo(1);
        assertThat(h.alice.sentCount(PacketType.P_ZEROES)).isEqualTo(1);
        assertThat(h.alice.completions.values()).hasSize(3).allMatch(IoResult::ok);
    }

    @Test
    void aFlushCompletesAfterThePeerAcknowledgedTheEarlierWritesAsStable() {
        TwoNodeHarness h = primaryWith(Protocol.A);
        h.alice.write(1, 0, 4096, (byte) 1);
        h.alice.handle(new EngineInput.FlushRequested(2));
        h.alice.completeIo(io -> true, IoResult.OK);
        assertThat(h.alice.completions).containsKey(1L).doesNotContainKey(2L);

        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.alice.completions.get(2L).ok()).isTrue();
    }

    @Test
    void aWriteOverlappingAnUncompletedOneWaitsForItAndLandsInALaterEpoch() {
        TwoNodeHarness h = primaryWith(Protocol.C);
        h.alice.write(1, 0, 8192, (byte) 1);
        h.alice.write(2, 4096, 4096, (byte) 2);
        h.alice.write(3, 65536, 4096, (byte) 3);
        assertThat(h.alice.sentCount(PacketType.P_DATA)).as("the overlapping write waits, and FIFO behind it")
                .isEqualTo(1);

        h.alice.autoDisk = true;
        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.alice.completions).containsKeys(1L, 2L, 3L);
        assertThat(h.bob.disk[4096]).isEqualTo((byte) 2);
        assertThat(h.alice.disk[4096]).isEqualTo((byte) 2);
        assertThat(h.bob.disk[0]).isEqualTo((byte) 1);
    }

    @Test
    void readsAreServedFromTheLocalDisk() {
        TwoNodeHarness h = primaryWith(Protocol.C);
        h.alice.autoDisk = true;
        h.bob.autoDisk = true;
        h.alice.write(1, 4096, 4096, (byte) 9);
        h.pump();
        h.alice.handle(new EngineInput.ReadRequested(2, 4096, 512));
        h.pump();

        assertThat(h.alice.readResults.get(2L)).containsOnly((byte) 9);
        assertThat(h.alice.sent).noneMatch(send -> send.packet().type() == PacketType.P_DATA_REQUEST);
    }

    @Test
    void aSecondaryRefusesWrites() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.bob.write(1, 0, 4096, (byte) 1);
        assertThat(h.bob.completions.get(1L).ok()).isFalse();
        assertThat(h.bob.completions.get(1L).detail()).isEqualTo("resource is not Primary");
        assertThat(h.bob.sent).noneMatch(send -> send.socket() == Stream.DATA
                && send.packet().type() == PacketType.P_DATA);
    }
}
