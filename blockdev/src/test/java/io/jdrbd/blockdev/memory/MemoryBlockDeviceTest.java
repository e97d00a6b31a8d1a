package io.jdrbd.blockdev.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MemoryBlockDeviceTest {

    private static final long TIB = 1L << 40;
    private static final long MIB = 1L << 20;

    @Test
    void aTebibyteDeviceHoldingFourMebibytesUsesAboutFourMebibytes() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(TIB)) {
            ByteBuf data = Unpooled.wrappedBuffer(DeviceModel.data(1, (int) MIB));
            for (int i = 0; i < 4; i++) {
                // spread over the device: start, middle, end, and one unaligned spot
                long offset = new long[] {0, TIB / 2, TIB - MIB, 12345 * MIB + 17}[i];
                assertThat(device.write(offset, data, 0).join().ok()).isTrue();
            }
            // 4 MiB of data; the unaligned MiB touches one extra chunk
            assertThat(device.allocatedBytes()).isEqualTo(4 * MIB + MemoryBlockDevice.CHUNK_SIZE);
            assertThat(DeviceModel.readAll(device, TIB / 2, (int) MIB)).isEqualTo(DeviceModel.data(1, (int) MIB));
            assertThat(DeviceModel.readAll(device, TIB / 4, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void trimOfWholeChunksFreesThemAndReportsHoles() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(16 * MIB)) {
            ByteBuf data = Unpooled.wrappedBuffer(DeviceModel.data(2, (int) MIB));
            device.write(0, data, 0).join();
            assertThat(device.allocatedBytes()).isEqualTo(MIB);
            // trim the middle half MiB plus a partial chunk on each side
            long start = 256 * 1024 - 100;
            long length = 512 * 1024 + 200;
            assertThat(device.trim(start, length, 0).join().ok()).isTrue();
            assertThat(device.allocatedBytes()).isEqualTo(MIB - 512 * 1024);

            List<AllocationExtent> extents = device.allocation(0, 16 * MIB).join().extents();
            assertThat(extents).containsExactly(
                    new AllocationExtent(0, 256 * 1024, false, false),
                    new AllocationExtent(256 * 1024, 512 * 1024, true, true),
                    new AllocationExtent(768 * 1024, 256 * 1024, false, false),
                    new AllocationExtent(MIB, 15 * MIB, true, true));
            byte[] expected = DeviceModel.data(2, (int) MIB);
            java.util.Arrays.fill(expected, (int) start, (int) (start + length), (byte) 0);
            assertThat(DeviceModel.readAll(device, 0, (int) MIB)).isEqualTo(expected);
        }
    }

    @Test
    void allocatedChunksThatReadAsZeroesAreReportedAsZeroNotHole() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(4 * MIB)) {
            device.write(4096, Unpooled.wrappedBuffer(DeviceModel.data(4, 8192)), 0).join();
            assertThat(device.trim(4096, 4096, 0).join().ok()).isTrue();
            assertThat(device.allocatedBytes()).isEqualTo(MemoryBlockDevice.CHUNK_SIZE);
            assertThat(device.allocation(0, MIB).join().extents()).containsExactly(
                    new AllocationExtent(0, 8192, false, true),
                    new AllocationExtent(8192, 4096, false, false),
                    new AllocationExtent(12288, MemoryBlockDevice.CHUNK_SIZE - 12288, false, true),
                    new AllocationExtent(MemoryBlockDevice.CHUNK_SIZE, MIB - MemoryBlockDevice.CHUNK_SIZE, true, true));
        }
    }

    @Test
    void writeZeroesWithoutHolePermissionKeepsMemoryAllocated() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(MIB)) {
            device.write(0, Unpooled.wrappedBuffer(DeviceModel.data(3, (int) MIB)), 0).join();
            assertThat(device.writeZeroes(0, MIB, 0, false, true).join().ok()).isTrue();
            assertThat(device.allocatedBytes()).isEqualTo(MIB);
            assertThat(DeviceModel.readAll(device, 0, (int) MIB)).isEqualTo(new byte[(int) MIB]);
            assertThat(device.writeZeroes(0, MIB, 0, true, true).join().ok()).isTrue();
            assertThat(device.allocatedBytes()).isZero();
        }
    }

    @Test
    void badRequestsCompleteWithEinvalInsteadOfThrowing() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(MIB, 512)) {
            ByteBuf target = Unpooled.buffer(4096);
            assertError(device.read(MIB - 512, 1024, target), IoError.EINVAL);
            assertError(device.read(-512, 512, target), IoError.EINVAL);
            assertError(device.read(100, 512, target), IoError.EINVAL);
            assertError(device.write(512, Unpooled.wrappedBuffer(new byte[100]), 0), IoError.EINVAL);
            assertError(device.write(MIB, Unpooled.wrappedBuffer(new byte[512]), 0), IoError.EINVAL);
            assertError(device.write(0, Unpooled.wrappedBuffer(new byte[512]), 0x40), IoError.EINVAL);
            assertError(device.trim(Long.MAX_VALUE - 100, 512, 0), IoError.EINVAL);
            assertError(device.writeZeroes(0, MIB + 512, 0, true, false), IoError.EINVAL);
            assertThat(device.allocation(MIB, 512).join().result().error()).isEqualTo(IoError.EINVAL);
            assertThat(target.writerIndex()).as("failed reads leave the target untouched").isZero();
            target.release();
        }
    }

    @Test
    void closedDeviceAnswersEshutdown() {
        MemoryBlockDevice device = new MemoryBlockDevice(MIB);
        device.write(0, Unpooled.wrappedBuffer(new byte[4096]), 0).join();
        device.close();
        assertError(device.write(0, Unpooled.wrappedBuffer(new byte[4096]), 0), IoError.ESHUTDOWN);
        assertError(device.flush(), IoError.ESHUTDOWN);
        assertThat(device.allocatedBytes()).isZero();
    }

    @Test
    void successfulOperationsShareOneImmutableCompletedFuture() {
        try (MemoryBlockDevice device = new MemoryBlockDevice(MIB)) {
            CompletableFuture<IoResult> first = device.write(0, Unpooled.wrappedBuffer(new byte[512]), 0);
            CompletableFuture<IoResult> second = device.read(0, 512, Unpooled.buffer(512));
            assertThat(first).isSameAs(second).isSameAs(IoFutures.OK);
            assertThat(first.complete(IoResult.failed(IoError.EIO, 0, 0, "x"))).isFalse();
            assertThat(first.cancel(true)).isFalse();
            assertThatThrownBy(() -> first.obtrudeValue(null)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(first.join()).isSameAs(IoResult.OK);
        }
    }

    @Test
    void concurrentWritersToDisjointRangesOfOneChunkAllLand() throws Exception {
        try (MemoryBlockDevice device = new MemoryBlockDevice(MIB)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] tasks = new Future<?>[4];
                for (int t = 0; t < 4; t++) {
                    int writer = t;
                    tasks[t] = pool.submit(() -> {
                        for (int i = writer; i < 256; i += 4) {
                            // 256 slices of 1 KiB in the first 256 KiB: every chunk is shared by 4 writers
                            byte[] slice = new byte[1024];
                            java.util.Arrays.fill(slice, (byte) i);
                            assertThat(device.write(i * 1024L, Unpooled.wrappedBuffer(slice), 0).join().ok()).isTrue();
                        }
                    });
                }
                for (Future<?> task : tasks) {
                    task.get();
                }
            } finally {
                pool.shutdownNow();
            }
            byte[] all = DeviceModel.readAll(device, 0, 256 * 1024);
            for (int i = 0; i < all.length; i++) {
                assertThat(all[i]).as("byte %d", i).isEqualTo((byte) (i / 1024));
            }
            assertThat(device.allocatedBytes()).isEqualTo(256 * 1024);
        }
    }

    private static void assertError(CompletableFuture<IoResult> future, IoError expected) {
        IoResult result = future.join();
        assertThat(result.error()).as("%s", result).isEqualTo(expected);
    }

}
