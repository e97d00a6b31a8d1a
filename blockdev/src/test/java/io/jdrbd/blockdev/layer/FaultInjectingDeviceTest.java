package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.layer.FaultInjectingDevice.FaultRule;
import io.jdrbd.blockdev.layer.FaultInjectingDevice.Operation;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FaultInjectingDeviceTest {

    private static final int SIZE = 64 * 1024;

    private final MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);
    private final FaultInjectingDevice device = new FaultInjectingDevice(disk, 7, null);

    @Test
    void readErrorsHitExactlyTheOverlappingReadsOnTheIntersection() {
        long rule = device.addRule(FaultRule.readErrors(4096, 4096));
        assertThat(read(0, 4096).ok()).isTrue();
        assertThat(read(8192, 4096).ok()).isTrue();
        IoResult failed = read(6000, 4096);
        assertThat(failed.error()).isEqualTo(IoError.EIO);
        assertThat(failed.offsetBytes()).isEqualTo(6000);
        assertThat(failed.lengthBytes()).isEqualTo(8192 - 6000);
        assertThat(read(4095, 2).error()).isEqualTo(IoError.EIO);
        assertThat(read(8191, 1).error()).isEqualTo(IoError.EIO);
        assertThat(write(4096, 4096).ok()).as("reads-only rule lets writes pass").isTrue();
        assertThat(device.firedCount(rule)).isEqualTo(3);
    }

    @Test
    void failedWritesNeverReachTheDiskAndOtherRangesStillDo() {
        device.addRule(FaultRule.writeErrors(0, 512).withError(IoError.ENOSPC));
        assertThat(write(0, 1024).error()).isEqualTo(IoError.ENOSPC);
        assertThat(DeviceModel.readAll(disk, 0, 1024)).isEqualTo(new byte[1024]);
        assertThat(device.trim(0, 10, 0).join().error()).isEqualTo(IoError.ENOSPC);
        assertThat(write(512, 512).ok()).isTrue();
        assertThat(DeviceModel.readAll(disk, 512, 512)).isEqualTo(DeviceModel.data(512, 512));
    }

    @Test
    void oneShotRuleFiresOnceAfterTheGivenNumberOfMatchingOperations() {
        long rule = device.addRule(new FaultRule(EnumSet.of(Operation.WRITE), 0, 1024, 2, true, IoError.EIO));
        List<IoError> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            write(4096, 512); // never matches: other range
            outcomes.add(write(0, 512).error());
        }
        assertThat(outcomes).containsExactly(null, null, IoError.EIO, null, null);
        assertThat(device.firedCount(rule)).isEqualTo(1);
    }

    @Test
    void permanentRuleKeepsFiringAfterItsThreshold() {
        device.addRule(FaultRule.flushErrors().afterMatching(1));
        assertThat(device.flush().join().ok()).isTrue();
        assertThat(device.flush().join().error()).isEqualTo(IoError.EIO);
        assertThat(device.flush().join().error()).isEqualTo(IoError.EIO);
        device.clearRules();
        assertThat(device.flush().join().ok()).isTrue();
    }

    @Test
    void latencyDelaysCompletionsThroughTheSchedulerWithSeededJitter() {
        List<Long> first = completionTimes(11);
        assertThat(first).allSatisfy(t -> assertThat(t).isBetween(1_000L, 1_500L));
        assertThat(completionTimes(11)).as("same seed, same delays").isEqualTo(first);
        assertThat(completionTimes(12)).isNotEqualTo(first);
    }

    private static List<Long> completionTimes(long seed) {
        ManualScheduler scheduler = new ManualScheduler();
        FaultInjectingDevice slow = new FaultInjectingDevice(new MemoryBlockDevice(SIZE), seed, scheduler);
        slow.setLatency(1_000, 500);
        List<Long> times = new ArrayList<>();
        List<CompletableFuture<IoResult>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CompletableFuture<IoResult> future = slow.write(i * 512L, Unpooled.wrappedBuffer(new byte[512]), 0);
            assertThat(future).isNotDone();
            future.thenRun(() -> times.add(scheduler.nowNs()));
            futures.add(future);
        }
        scheduler.advance(999);
        assertThat(times).isEmpty();
        scheduler.advance(10_000);
        assertThat(futures).allSatisfy(f -> assertThat(f.join().ok()).isTrue());
        times.sort(null);
        return times;
    }

    @Test
    void latencyWithoutSchedulerAndBadRulesAreRejected() {
        assertThatThrownBy(() -> device.setLatency(1, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultRule.readErrors(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultRule(EnumSet.noneOf(Operation.class), 0, 1, 0, false, IoError.EIO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private IoResult read(long offset, int length) {
        return device.read(offset, length, Unpooled.buffer(length)).join();
    }

    private IoResult write(long offset, int length) {
        return device.write(offset, Unpooled.wrappedBuffer(DeviceModel.data(offset, length)), 0).join();
    }
}
