package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.jdrbd.blockdev.file.FileBlockDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolatileWriteCacheDeviceTest {

    private static final int SIZE = 64 * 1024;

    private final MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);

    @Test
    void flushedAndFuaDataSurvivesAPowerCutWhileUnflushedDataIsLost() {
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.loseAll());
        byte[] flushed = DeviceModel.data(1, 4096);
        byte[] fua = DeviceModel.data(2, 4096);
        byte[] volatileData = DeviceModel.data(3, 4096);
        assertOk(device.write(0, Unpooled.wrappedBuffer(flushed), 0).join());
        assertOk(device.flush().join());
        assertOk(device.write(8192, Unpooled.wrappedBuffer(volatileData), 0).join());
        assertOk(device.write(16384, Unpooled.wrappedBuffer(fua), BlockDevice.FUA).join());
        assertThat(DeviceModel.readAll(device, 8192, 4096)).as("reads see cached data").isEqualTo(volatileData);
        assertThat(DeviceModel.readAll(disk, 8192, 4096)).as("but the disk does not have it").isEqualTo(new byte[4096]);
        assertThat(device.dirtyBytes()).isEqualTo(4096);

        VolatileWriteCacheDevice.PowerCutReport report = device.powerCut().join();

        assertThat(report.cachedOperations()).isEqualTo(1);
        assertThat(DeviceModel.readAll(device, 0, 4096)).isEqualTo(flushed);
        assertThat(DeviceModel.readAll(device, 16384, 4096)).isEqualTo(fua);
        assertThat(DeviceModel.readAll(device, 8192, 4096)).isEqualTo(new byte[4096]);
        assertThat(device.dirtyBytes()).isZero();
    }

    @Test
    void fuaMakesEarlierWritesToTheSameSectorsDurableButNotOthers() {
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.loseAll());
        // 100 bytes in sector 0 and 100 bytes in sector 2, both cached; then FUA 10 bytes in sector 0
        byte[] early = DeviceModel.data(4, 1124);
        assertOk(device.write(0, Unpooled.wrappedBuffer(early), 0).join());
        assertOk(device.write(200, Unpooled.wrappedBuffer(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9}),
                BlockDevice.FUA).join());
        device.powerCut().join();
        byte[] expected = new byte[1124];
        System.arraycopy(early, 0, expected, 0, 512);
        Arrays.fill(expected, 200, 210, (byte) 9);
        assertThat(DeviceModel.readAll(disk, 0, 1124)).isEqualTo(expected);
    }

    @Test
    void sameSeedCutsTheSameWayAndSomethingUnflushedCanSurvive() {
        byte[] first = cutAfterManyWrites(77);
        byte[] second = cutAfterManyWrites(77);
        assertThat(first).isEqualTo(second);
        int survivingSectors = 0;
        for (int s = 0; s < SIZE / 512; s++) {
            if (!Arrays.equals(Arrays.copyOfRange(first, s * 512, s * 512 + 512), new byte[512])) {
                survivingSectors++;
            }
        }
        assertThat(survivingSectors).as("with survival probability 0.5 some unflushed sectors survive")
                .isBetween(1, SIZE / 512 - 1);
    }

    private static byte[] cutAfterManyWrites(long seed) {
        MemoryBlockDevice memory = new MemoryBlockDevice(SIZE);
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(memory,
                VolatileWriteCacheDevice.PowerCutModel.randomSurvivors(seed, 0.5));
        for (int i = 0; i < SIZE / 4096; i++) {
            device.write(i * 4096L, Unpooled.wrappedBuffer(DeviceModel.data(i, 4096)), 0).join();
        }
        device.powerCut().join();
        return DeviceModel.readAll(memory, 0, SIZE);
    }

    @Test
    void exceedingTheDirtyLimitWritesEverythingBack() {
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.loseAll(), new VolatileWriteCacheDevice.Limits(8192, 100));
        device.write(0, Unpooled.wrappedBuffer(DeviceModel.data(5, 8192)), 0).join();
        assertThat(device.dirtyBytes()).isEqualTo(8192);
        device.write(8192, Unpooled.wrappedBuffer(DeviceModel.data(6, 1)), 0).join();
        assertThat(device.dirtyBytes()).isZero();
        device.powerCut().join();
        assertThat(DeviceModel.readAll(disk, 0, 8192)).isEqualTo(DeviceModel.data(5, 8192));
    }

    @Test
    void cachedDataIsReportedAsAllocatedAndCachedTrimsReadAsZero() {
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.loseAll());
        device.write(1000, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0).join();
        assertThat(device.allocation(0, SIZE).join().extents()).containsExactly(
                new AllocationExtent(0, 1000, true, true),
                new AllocationExtent(1000, 3, false, false),
                new AllocationExtent(1003, SIZE - 1003, true, true));
        assertOk(device.trim(0, 2000, 0).join());
        assertThat(DeviceModel.readAll(device, 990, 20)).isEqualTo(new byte[20]);
    }

    @Test
    void requestsDuringAPowerCutFailAndBadRangesAreEinval() {
        FaultInjectingDevice slow = new FaultInjectingDevice(disk, 1, (delayNs, task) -> { });
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(slow,
                VolatileWriteCacheDevice.PowerCutModel.randomSurvivors(1, 1));
        device.write(0, Unpooled.wrappedBuffer(new byte[512]), 0).join();
        slow.setLatency(1, 0); // completions of the disk below never arrive: the cut stays in progress
        assertThat(device.powerCut()).isNotDone();
        assertThat(device.read(0, 512, Unpooled.buffer(512)).join().error()).isEqualTo(IoError.EIO);
        assertThat(new VolatileWriteCacheDevice(new MemoryBlockDevice(SIZE),
                VolatileWriteCacheDevice.PowerCutModel.loseAll()).write(SIZE, Unpooled.wrappedBuffer(new byte[1]), 0)
                .join().error()).isEqualTo(IoError.EINVAL);
    }

    @Test
    void closeWritesTheCacheBack() {
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(new ForwardingDevice(disk) {
            @Override
            public void close() {
                // keep the memory disk open to inspect it
            }
        }, VolatileWriteCacheDevice.PowerCutModel.loseAll());
        device.write(512, Unpooled.wrappedBuffer(DeviceModel.data(7, 512)), 0).join();
        device.close();
        assertThat(DeviceModel.readAll(disk, 512, 512)).isEqualTo(DeviceModel.data(7, 512));
    }

    @Test
    void readsOverlappingAsynchronousWritebacksSeeTheWrittenData(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("disk.img");
        int blocks = 200;
        FileBlockDevice.create(file, blocks * 4096L);
        try (FileBlockDevice fileDisk = FileBlockDevice.open(file)) {
            VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(fileDisk,
                    VolatileWriteCacheDevice.PowerCutModel.loseAll());
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int block = 0; block < blocks; block++) {
                assertOk(device.write(block * 4096L, Unpooled.wrappedBuffer(DeviceModel.data(block, 4096)), 0).join());
                if (block % 10 == 9) {
                    pending.add(device.flush());
                }
                if (block >= 5) {
                    int earlier = block - 5;
                    ByteBuf target = Unpooled.buffer(4096);
                    pending.add(device.read(earlier * 4096L, 4096, target).thenAccept(result -> {
                        assertOk(result);
                        byte[] got = new byte[4096];
                        target.getBytes(0, got);
                        assertThat(got).as("block %d", earlier).isEqualTo(DeviceModel.data(earlier, 4096));
                    }));
                }
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            assertOk(device.flush().join());
            assertThat(device.dirtyBytes()).isZero();
            for (int block = 0; block < blocks; block += 37) {
                assertThat(DeviceModel.readAll(fileDisk, block * 4096L, 4096)).isEqualTo(DeviceModel.data(block, 4096));
            }
        }
    }

    private static void assertOk(IoResult result) {
        assertThat(result.ok()).as("%s", result).isTrue();
    }
}
