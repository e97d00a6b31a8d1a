package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimDiskTest {
    private final Trace trace = new Trace();
    private final Scheduler scheduler = new Scheduler(trace, 1_000_000);
    private static final DiskOptions LOSE_EVERYTHING_UNFLUSHED =
            new DiskOptions(10_000, 100_000, 0, 100_000, 50_000, true, 0, 0, 0, 0);

    private SimDisk disk(DiskOptions options) {
        return new SimDisk(scheduler, new SimRandom(5), trace, 0, "data", 1 << 20, options);
    }

    private static ByteBuf block(long tag, long offset) {
        ByteBuf buf = Unpooled.buffer(4096);
        BlockTag.stamp(buf, tag, offset, 1);
        return buf;
    }

    private IoResult await(List<IoResult> results, int count) {
        scheduler.runUntil(() -> results.size() >= count, Long.MAX_VALUE);
        return results.get(count - 1);
    }

    @Test
    void aWriteCompletesLaterNeverInsideTheCall() {
        SimDisk disk = disk(DiskOptions.ssd());
        List<IoResult> results = new ArrayList<>();
        disk.write(0, block(BlockTag.tag(1, 1), 0), 0, results::add);
        assertThat(results).isEmpty();
        assertThat(await(results, 1).ok()).isTrue();
        assertThat(scheduler.nowNs()).isPositive();
        assertThat(DataChecker.of(disk).tagAt(0)).isEqualTo(BlockTag.tag(1, 1));
    }

    @Test
    void unflushedWritesAreLostAtAPowerCutAndFlushedOnesSurvive() {
        SimDisk disk = disk(LOSE_EVERYTHING_UNFLUSHED);
        List<IoResult> results = new ArrayList<>();
        disk.write(0, block(BlockTag.tag(1, 1), 0), 0, results::add);
        await(results, 1);
        disk.flush(results::add);
        await(results, 2);
        disk.write(4096, block(BlockTag.tag(1, 2), 4096), 0, results::add);
        await(results, 3);
        assertThat(DataChecker.of(disk).tagAt(1)).isEqualTo(BlockTag.tag(1, 2));
        disk.powerCut();
        assertThat(DataChecker.of(disk).tagAt(0)).isEqualTo(BlockTag.tag(1, 1));
        assertThat(DataChecker.of(disk).tagAt(1)).isEqualTo(BlockTag.ZERO);
    }

    @Test
    void aFuaWriteIsDurableWhenItCompletes() {
        SimDisk disk = disk(LOSE_EVERYTHING_UNFLUSHED);
        List<IoResult> results = new ArrayList<>();
        disk.write(0, block(BlockTag.tag(1, 1), 0), BlockDevice.FUA, results::add);
        await(results, 1);
        disk.powerCut();
        assertThat(DataChecker.of(disk).tagAt(0)).isEqualTo(BlockTag.tag(1, 1));
    }

    @Test
    void aPowerCutDropsPendingCompletions() {
        SimDisk disk = disk(DiskOptions.ssd());
        List<IoResult> results = new ArrayList<>();
        disk.write(0, block(BlockTag.tag(1, 1), 0), 0, results::add);
        disk.powerCut();
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(results).isEmpty();
        assertThat(disk.inFlightCount()).isZero();
    }

    @Test
    void aTornPageMixesSectorsOfTwoWrites() {
        DiskOptions tearAlways = new DiskOptions(10_000, 10_000, 0, 10_000, 0, true, 1_000_000, 1_000_000, 0, 0);
        int torn = 0;
        for (long seed = 0; seed < 8; seed++) {
            SimDisk disk = new SimDisk(scheduler, new SimRandom(seed), trace, 0, "data", 1 << 20, tearAlways);
            List<IoResult> results = new ArrayList<>();
            disk.write(0, block(BlockTag.tag(1, 1), 0), BlockDevice.FUA, results::add);
            await(results, 1);
            disk.write(0, block(BlockTag.tag(1, 2), 0), 0, results::add);
            await(results, 2);
            disk.powerCut();
            long tag = DataChecker.of(disk).tagAt(0);
            assertThat(tag).isIn(BlockTag.tag(1, 1), BlockTag.tag(1, 2), BlockTag.DAMAGED);
            torn += tag == BlockTag.DAMAGED ? 1 : 0;
        }
        assertThat(torn).isPositive();
    }

    @Test
    void anInjectedErrorRangeFailsOnlyOverlappingOperationsOfItsKind() {
        SimDisk disk = disk(DiskOptions.ssd());
        disk.failRange(SimDisk.ErrorKind.WRITE, 8192, 4096);
        List<IoResult> results = new ArrayList<>();
        disk.write(8192, block(BlockTag.tag(1, 1), 8192), 0, results::add);
        disk.write(0, block(BlockTag.tag(1, 2), 0), 0, results::add);
        ByteBuf target = Unpooled.buffer(4096);
        disk.read(8192, 4096, target, results::add);
        await(results, 3);
        assertThat(results).filteredOn(r -> !r.ok()).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(IoError.EIO));
        assertThat(DataChecker.of(disk).tagAt(2)).isEqualTo(BlockTag.ZERO);
        target.release();
    }

    @Test
    void aStalledDiskHoldsCompletionsUntilResumed() {
        SimDisk disk = disk(DiskOptions.ssd());
        List<IoResult> results = new ArrayList<>();
        disk.stall();
        disk.write(0, block(BlockTag.tag(1, 1), 0), 0, results::add);
        scheduler.runFor(1_000_000_000L);
        assertThat(results).isEmpty();
        disk.resume();
        assertThat(await(results, 1).ok()).isTrue();
    }

    @Test
    void readsOutsideTheDiskFailWithEinval() {
        SimDisk disk = disk(DiskOptions.ssd());
        List<IoResult> results = new ArrayList<>();
        ByteBuf target = Unpooled.buffer(4096);
        disk.read(disk.sizeBytes(), 4096, target, results::add);
        assertThat(await(results, 1).error()).isEqualTo(IoError.EINVAL);
        target.release();
    }
}
