package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.wire.PacketType;
import org.junit.jupiter.api.Test;

class ActivityLogTest {

    @Test
    void aWriteToAColdExtentWaitsForTheActivityLogTransaction() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        h.alice.autoMetadata = false;
        int dataBefore = h.alice.sentCount(PacketType.P_DATA);

        h.alice.write(1, 5L << 20, 4096, (byte) 1);

        assertThat(h.alice.alWrites).hasSize(1);
        assertThat(h.alice.alWrites.get(0).transaction().activatedExtents()).containsExactly(1L);
        assertThat(h.alice.pendingIo).isEmpty();
        assertThat(h.alice.sentCount(PacketType.P_DATA)).isEqualTo(dataBefore);

        h.alice.handle(new EngineInput.MetadataWritten(h.alice.alWrites.get(0).ioId(), IoResult.OK));

        assertThat(h.alice.pendingIo).hasSize(1);
        assertThat(h.alice.sentCount(PacketType.P_DATA)).isEqualTo(dataBefore + 1);
        assertThat(h.alice.engine.activeExtents()).containsExactly(1L);

        h.alice.write(2, (5L << 20) + 4096, 4096, (byte) 2);
        assertThat(h.alice.alWrites).as("a hot extent needs no transaction").hasSize(1);
        assertThat(h.alice.sentCount(PacketType.P_DATA)).isEqualTo(dataBefore + 2);
        h.pump();
        assertThat(h.alice.completions.values()).hasSize(2).allMatch(IoResult::ok);
    }

    @Test
    void writesLeaveTheQueueInArrivalOrder() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        h.alice.autoMetadata = false;
        h.alice.write(1, 9L << 20, 4096, (byte) 1);
        h.alice.write(2, 0, 4096, (byte) 2);

        h.alice.handle(new EngineInput.MetadataWritten(h.alice.alWrites.get(0).ioId(), IoResult.OK));
        h.alice.handle(new EngineInput.MetadataWritten(h.alice.alWrites.get(1).ioId(), IoResult.OK));

        assertThat(h.alice.submitted).extracting(io -> ((EngineOutput.SubmitDiskWrite) io).offsetBytes())
                .containsExactly(9L << 20, 0L);
    }
}
