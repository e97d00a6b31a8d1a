package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.layer.FaultInjectingDevice.FaultRule;
import io.jdrbd.blockdev.layer.StatisticsDevice.Kind;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Layers stacked as the crash tests stack them: statistics over a cache over a faulty disk. */
class LayerStackTest {

    private static final int SIZE = 64 * 1024;

    private final MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);
    private final FaultInjectingDevice faulty = new FaultInjectingDevice(disk, 5, null);
    private final VolatileWriteCacheDevice cache = new VolatileWriteCacheDevice(faulty,
            VolatileWriteCacheDevice.PowerCutModel.loseAll());
    private final StatisticsDevice top = new StatisticsDevice(cache);

    @Test
    void writebackErrorsBelowTheCacheFailTheFlushAndTheDataIsNotDurable() {
        faulty.addRule(FaultRule.writeErrors(4096, 4096).once());
        assertThat(top.write(0, Unpooled.wrappedBuffer(DeviceModel.data(1, 4096)), 0).join().ok()).isTrue();
        assertThat(top.write(4096, Unpooled.wrappedBuffer(DeviceModel.data(2, 4096)), 0).join().ok())
                .as("the cache accepts the write; the disk's error comes at writeback").isTrue();

        assertThat(top.flush().join().error()).isEqualTo(IoError.EIO);
        assertThat(top.snapshot().of(Kind.FLUSH).errors()).isEqualTo(1);
        assertThat(DeviceModel.readAll(disk, 0, 4096)).as("written back before the failing record")
                .isEqualTo(DeviceModel.data(1, 4096));
        assertThat(DeviceModel.readAll(disk, 4096, 4096)).isEqualTo(new byte[4096]);

        cache.powerCut().join();
        assertThat(DeviceModel.readAll(top, 4096, 4096)).isEqualTo(new byte[4096]);
        assertThat(DeviceModel.readAll(top, 0, 4096)).isEqualTo(DeviceModel.data(1, 4096));
    }

    @Test
    void readErrorsBelowTheCacheFailOnlyReadsTheCacheCannotServeWhole() {
        faulty.addRule(FaultRule.readErrors(0, SIZE));
        top.write(0, Unpooled.wrappedBuffer(DeviceModel.data(3, 512)), 0).join();
        top.write(512, Unpooled.wrappedBuffer(DeviceModel.data(4, 512)), 0).join();
        assertThat(DeviceModel.readAll(top, 100, 900)).as("a cache hit never touches the medium")
                .isEqualTo(Arrays.copyOfRange(concat(DeviceModel.data(3, 512), DeviceModel.data(4, 512)),
                        100, 1000));
        assertThat(top.read(0, 1536, Unpooled.buffer(1536)).join().error()).isEqualTo(IoError.EIO);
        assertThat(top.snapshot().of(Kind.READ).errors()).isEqualTo(1);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void readOnlyOnTopRefusesBeforeAnyLayerBelowSeesTheWrite() {
        ReadOnlyDevice readOnly = new ReadOnlyDevice(top);
        assertThat(readOnly.write(0, Unpooled.wrappedBuffer(new byte[512]), 0).join().error())
                .isEqualTo(IoError.EPERM);
        assertThat(top.snapshot().of(Kind.WRITE).operations()).isZero();
        assertThat(cache.dirtyRecords()).isZero();
    }
}
