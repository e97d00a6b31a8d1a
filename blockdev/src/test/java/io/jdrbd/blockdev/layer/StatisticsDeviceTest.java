package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.layer.StatisticsDevice.Kind;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatisticsDeviceTest {

    @Test
    void countsOperationsBytesErrorsAndLatencyPerKind() {
        AtomicLong clock = new AtomicLong();
        ManualScheduler scheduler = new ManualScheduler();
        FaultInjectingDevice faulty = new FaultInjectingDevice(new MemoryBlockDevice(1 << 20), 3, scheduler);
        faulty.addRule(FaultInjectingDevice.FaultRule.readErrors(0, 512));
        StatisticsDevice device = new StatisticsDevice(faulty, clock::get);

        device.write(4096, Unpooled.wrappedBuffer(new byte[4096]), 0).join();
        device.write(8192, Unpooled.wrappedBuffer(new byte[512]), 0).join();
        device.read(4096, 4096, Unpooled.buffer(4096)).join();
        device.read(0, 512, Unpooled.buffer(512)).join(); // injected error
        device.trim(0, 1 << 20, 0).join();
        faulty.setLatency(0, 0);
        device.flush().join();

        faulty.setLatency(250_000, 0);
        var delayed = device.read(4096, 1024, Unpooled.buffer(1024));
        clock.addAndGet(250_000);
        scheduler.advance(250_000);
        assertThat(delayed.join().ok()).isTrue();

        StatisticsDevice.Snapshot snapshot = device.snapshot();
        assertThat(snapshot.of(Kind.WRITE).operations()).isEqualTo(2);
        assertThat(snapshot.of(Kind.WRITE).bytes()).isEqualTo(4096 + 512);
        assertThat(snapshot.of(Kind.READ).operations()).isEqualTo(3);
        assertThat(snapshot.of(Kind.READ).errors()).isEqualTo(1);
        assertThat(snapshot.of(Kind.READ).bytes()).as("failed reads move no bytes").isEqualTo(4096 + 1024);
        assertThat(snapshot.of(Kind.TRIM).bytes()).isEqualTo(1 << 20);
        assertThat(snapshot.of(Kind.FLUSH).operations()).isEqualTo(1);
        assertThat(snapshot.of(Kind.CACHE).operations()).isZero();
        assertThat(snapshot.of(Kind.READ).latencyNs().getTotalCount()).isEqualTo(3);
        assertThat(snapshot.of(Kind.READ).latencyNs().getMaxValue()).isBetween(249_000L, 251_000L);
        assertThat(snapshot.of(Kind.READ).latencyNsAtPercentile(50)).isZero();
        assertThat(snapshot.of(Kind.WRITE).latencyNs().getMaxValue()).isZero();

        faulty.setLatency(0, 0);
        device.flush().join();
        assertThat(device.snapshot().of(Kind.FLUSH).operations()).as("snapshots are cumulative").isEqualTo(2);
        assertThat(device.snapshot().of(Kind.READ).latencyNs().getTotalCount()).isEqualTo(3);
    }
}
