package io.jdrbd.blockdev.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.testsupport.ExternalPrograms;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against a loop device over a sparse file in the test's directory (needs root and losetup). */
class LinuxBlockDeviceTest {

    private static final int SIZE = 8 << 20;

    @TempDir
    Path dir;

    private Path losetup;
    private Path backing;
    private Path loopDevice;

    @BeforeEach
    void attachLoopDevice() throws IOException, InterruptedException {
        losetup = ExternalPrograms.require("losetup");
        backing = dir.resolve("backing.img");
        FileBlockDevice.create(backing, SIZE);
        Process process = new ProcessBuilder(losetup.toString(), "-f", "--show", backing.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean attached = process.waitFor() == 0 && output.startsWith("/dev/loop");
        ExternalPrograms.requireThat(attached, "cannot create a loop device (needs root and /dev/loop-control): "
                + output);
        loopDevice = Path.of(output);
    }

    @AfterEach
    void detachLoopDevice() throws IOException, InterruptedException {
        if (loopDevice != null) {
            Process process = new ProcessBuilder(losetup.toString(), "-d", loopDevice.toString()).inheritIO().start();
            assertThat(process.waitFor()).as("losetup -d %s", loopDevice).isZero();
        }
    }

    @Test
    void reportsSizeAndBlockSizesFromIoctls() throws IOException {
        try (LinuxBlockDevice device = LinuxBlockDevice.open(loopDevice, false, 2)) {
            assertThat(device.sizeBytes()).isEqualTo(SIZE);
            assertThat(device.logicalBlockSize()).isEqualTo(512);
            assertThat(device.physicalBlockSize()).isGreaterThanOrEqualTo(512);
            assertThat(device.requiredAlignment()).isEqualTo(512);
        }
    }

    @Test
    void behavesLikeAByteArrayUnderRandomAlignedOperations() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        List<DeviceModel.Op> ops = new java.util.ArrayList<>();
        DeviceModel.Kind[] kinds = DeviceModel.Kind.values();
        for (int i = 0; i < 60; i++) {
            int start = random.nextInt(SIZE / 512) * 512;
            int length = Math.min(random.nextInt(512) * 512, SIZE - start);
            ops.add(new DeviceModel.Op(kinds[random.nextInt(kinds.length)], start, length, random.nextLong()));
        }
        try (LinuxBlockDevice device = LinuxBlockDevice.open(loopDevice, false, 2)) {
            new DeviceModel(SIZE).runAndCompare(device, ops);
        }
    }

    @Test
    void discardPunchesHolesInTheLoopDevicesBackingFile() throws IOException {
        Path stat = ExternalPrograms.require("stat");
        try (LinuxBlockDevice device = LinuxBlockDevice.open(loopDevice, false, 2)) {
            assertOk(device.write(0, Unpooled.wrappedBuffer(DeviceModel.data(5, SIZE)), 0));
            assertOk(device.flush());
            long before = FileBlockDeviceTest.allocatedBytes(stat, backing);
            assertOk(device.trim(0, SIZE / 2, 0));
            assertOk(device.flush());
            assertThat(DeviceModel.readAll(device, 0, SIZE / 2)).isEqualTo(new byte[SIZE / 2]);
            assertThat(FileBlockDeviceTest.allocatedBytes(stat, backing)).isLessThanOrEqualTo(before - SIZE / 2);
        }
        try (FileBlockDevice file = FileBlockDevice.open(backing, true, 1)) {
            assertThat(file.allocation(0, SIZE / 2).join().extents().get(0).hole()).isTrue();
        }
    }

    @Test
    void misalignedRequestsAndFastZeroAreRefusedAsValues() throws IOException {
        try (LinuxBlockDevice device = LinuxBlockDevice.open(loopDevice, false, 2)) {
            assertError(device.read(100, 512, Unpooled.buffer(512)), IoError.EINVAL);
            assertError(device.write(512, Unpooled.wrappedBuffer(new byte[100]), 0), IoError.EINVAL);
            assertError(device.trim(0, 1000, 0), IoError.EINVAL);
            assertError(device.read(SIZE, 512, Unpooled.buffer(512)), IoError.EINVAL);
            assertError(device.writeZeroes(0, 4096, 0, false, true), IoError.ENOTSUP);
        }
        try (LinuxBlockDevice device = LinuxBlockDevice.open(loopDevice, true, 1)) {
            assertError(device.write(0, Unpooled.wrappedBuffer(new byte[512]), 0), IoError.EPERM);
        }
    }

    @Test
    void openingARegularFileAsBlockDeviceFailsNamingIt() {
        assertThatThrownBy(() -> LinuxBlockDevice.open(backing, false, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("backing.img")
                .hasMessageContaining("BLKGETSIZE64");
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
