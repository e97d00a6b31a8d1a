package io.jdrbd.blockdev.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.testsupport.ExternalPrograms;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockDeviceTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void dataWrittenWithFuaAndFlushIsReadBackAfterReopen() throws IOException {
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, 8 * MIB);
        byte[] first = DeviceModel.data(11, MIB);
        byte[] second = DeviceModel.data(12, 3 * 4096 + 5);
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            assertThat(device.sizeBytes()).isEqualTo(8 * MIB);
            assertOk(device.write(MIB, Unpooled.wrappedBuffer(first), BlockDevice.FUA));
            ByteBuf direct = Unpooled.directBuffer(second.length).writeBytes(second);
            assertOk(device.write(5 * MIB + 3, direct, 0));
            direct.release();
            assertOk(device.flush());
        }
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            assertThat(DeviceModel.readAll(device, MIB, MIB)).isEqualTo(first);
            assertThat(DeviceModel.readAll(device, 5 * MIB + 3, second.length)).isEqualTo(second);
            assertThat(DeviceModel.readAll(device, 0, 4096)).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void trimPunchesHolesThatAllocationAndStatBothSee() throws IOException {
        Path stat = ExternalPrograms.require("stat");
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, 4 * MIB);
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            assertThat(device.allocation(0, 4 * MIB).join().extents())
                    .containsExactly(new AllocationExtent(0, 4 * MIB, true, true));
            assertOk(device.write(0, Unpooled.wrappedBuffer(DeviceModel.data(13, 4 * MIB)), 0));
            assertOk(device.flush());
            long blocksFull = allocatedBytes(stat, file);
            assertThat(blocksFull).isGreaterThanOrEqualTo(4L * MIB);

            assertOk(device.trim(MIB, 2 * MIB, 0));
            assertThat(device.allocation(0, 4 * MIB).join().extents()).containsExactly(
                    new AllocationExtent(0, MIB, false, false),
                    new AllocationExtent(MIB, 2 * MIB, true, true),
                    new AllocationExtent(3 * MIB, MIB, false, false));
            assertThat(allocatedBytes(stat, file)).isEqualTo(blocksFull - 2L * MIB);
            assertThat(DeviceModel.readAll(device, MIB, 2 * MIB)).isEqualTo(new byte[2 * MIB]);

            // a sub-range query starting inside a hole begins with that hole
            assertThat(device.allocation(2 * MIB, 2 * MIB).join().extents()).containsExactly(
                    new AllocationExtent(2 * MIB, MIB, true, true),
                    new AllocationExtent(3 * MIB, MIB, false, false));
        }
    }

    @Test
    void writeZeroesPunchesOnlyWhenAllowed() throws IOException {
        Path stat = ExternalPrograms.require("stat");
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, 2 * MIB);
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            assertOk(device.write(0, Unpooled.wrappedBuffer(DeviceModel.data(14, 2 * MIB)), BlockDevice.FUA));
            long before = allocatedBytes(stat, file);
            assertOk(device.writeZeroes(0, MIB, 0, false, true));
            assertThat(DeviceModel.readAll(device, 0, MIB)).isEqualTo(new byte[MIB]);
            assertThat(allocatedBytes(stat, file)).as("ZERO_RANGE keeps the blocks").isEqualTo(before);
            assertOk(device.writeZeroes(MIB, MIB, BlockDevice.FUA, true, true));
            assertThat(DeviceModel.readAll(device, MIB, MIB)).isEqualTo(new byte[MIB]);
            assertThat(allocatedBytes(stat, file)).isEqualTo(before - MIB);
        }
    }

    @Test
    void badRequestsCompleteWithErrorsInsteadOfThrowing() throws IOException {
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, MIB);
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            ByteBuf target = Unpooled.buffer(8192);
            assertError(device.read(MIB - 10, 20, target), IoError.EINVAL);
            assertError(device.read(-1, 20, target), IoError.EINVAL);
            assertError(device.write(MIB, Unpooled.wrappedBuffer(new byte[1]), 0), IoError.EINVAL);
            assertError(device.write(0, Unpooled.wrappedBuffer(new byte[1]), 0x8), IoError.EINVAL);
            assertError(device.trim(Long.MAX_VALUE, Long.MAX_VALUE, 0), IoError.EINVAL);
            assertError(device.writeZeroes(MIB - 1, 2, 0, false, false), IoError.EINVAL);
            assertError(device.cache(0, MIB + 1), IoError.EINVAL);
            assertThat(device.allocation(0, MIB + 1).join().result().error()).isEqualTo(IoError.EINVAL);
            assertThat(target.writerIndex()).isZero();
            target.release();
        }
    }

    @Test
    void readOnlyDeviceRefusesModificationsWithEperm() throws IOException {
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, MIB);
        try (FileBlockDevice device = FileBlockDevice.open(file, true, 1)) {
            assertThat(device.capabilities().readOnly()).isTrue();
            assertError(device.write(0, Unpooled.wrappedBuffer(new byte[512]), 0), IoError.EPERM);
            assertError(device.trim(0, 512, 0), IoError.EPERM);
            assertError(device.writeZeroes(0, 512, 0, true, false), IoError.EPERM);
            assertOk(device.flush());
            assertOk(device.cache(0, MIB));
            assertThat(DeviceModel.readAll(device, 0, 512)).isEqualTo(new byte[512]);
        }
    }

    @Test
    void closedDeviceAnswersEshutdownAndOpeningNonFilesFailsWithThePath() throws IOException {
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, MIB);
        FileBlockDevice device = FileBlockDevice.open(file);
        CompletableFuture<IoResult> queued = device.write(0, Unpooled.wrappedBuffer(new byte[4096]), 0);
        device.close();
        assertThat(queued).as("work queued before close completes").isCompletedWithValue(IoResult.OK);
        assertError(device.read(0, 512, Unpooled.buffer(512)), IoError.ESHUTDOWN);
        assertError(device.flush(), IoError.ESHUTDOWN);

        assertThatThrownBy(() -> FileBlockDevice.open(dir.resolve("missing.img")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.img");
        assertThatThrownBy(() -> FileBlockDevice.create(file, MIB)).isInstanceOf(IOException.class);
    }

    @Test
    void closingFromACompletionCallbackDoesNotWaitForItself() throws Exception {
        Path file = dir.resolve("disk.img");
        FileBlockDevice.create(file, MIB);
        FileBlockDevice device = FileBlockDevice.open(file);
        CompletableFuture<IoResult> afterClose = device.flush().thenCompose(result -> {
            device.close();
            return device.flush();
        });
        assertThat(afterClose.get(30, TimeUnit.SECONDS).error()).isEqualTo(IoError.ESHUTDOWN);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("jdrbd-disk-close-disk.img")));
    }

    @Test
    void fragmentedFileAnswersAllocationInBoundedPieces() throws IOException {
        Path file = dir.resolve("disk.img");
        int blocks = 2 * FileBlockDevice.MAX_EXTENTS_PER_ANSWER + 10;
        FileBlockDevice.create(file, (long) blocks * 4096);
        DeviceModel model = new DeviceModel(blocks * 4096);
        try (FileBlockDevice device = FileBlockDevice.open(file)) {
            for (int block = 0; block < blocks; block += 2) {
                assertOk(device.write(block * 4096L, Unpooled.wrappedBuffer(new byte[] {1}), 0));
                model.bytes()[block * 4096] = 1;
            }
            List<AllocationExtent> first = device.allocation(0, (long) blocks * 4096).join().extents();
            assertThat(first).hasSize(FileBlockDevice.MAX_EXTENTS_PER_ANSWER);
            model.checkAllocation(device, 0, (long) blocks * 4096);
        }
    }

    /** Bytes the file system allocated for the file, from {@code stat}'s block count. */
    static long allocatedBytes(Path stat, Path file) throws IOException {
        Process process = new ProcessBuilder(stat.toString(), "-c", "%b %B", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            assertThat(process.waitFor()).as("stat: %s", output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String[] fields = output.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }

    private static void assertOk(CompletableFuture<IoResult> future) {
        IoResult result = future.join();
        assertThat(result.ok()).as("%s", result).isTrue();
    }

    private static void assertError(CompletableFuture<IoResult> future, IoError expected) {
        IoResult result = future.join();
        assertThat(result.error()).as("%s", result).isEqualTo(expected);
    }
}
