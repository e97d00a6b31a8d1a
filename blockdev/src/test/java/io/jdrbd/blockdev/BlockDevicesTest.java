package io.jdrbd.blockdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdrbd.blockdev.file.FileBlockDevice;
import io.jdrbd.blockdev.layer.ReadOnlyDevice;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDevicesTest {

    @TempDir
    Path dir;

    private final BlockDevices.Options defaults = BlockDevices.Options.defaults();

    @Test
    void memorySpecsTakeTheSizeFromTheSpecOrTheOption() throws IOException {
        try (BlockDevice device = BlockDevices.open("memory:1T", defaults)) {
            assertThat(device).isInstanceOf(MemoryBlockDevice.class);
            assertThat(device.sizeBytes()).isEqualTo(1L << 40);
        }
        try (BlockDevice device = BlockDevices.open("memory", defaults.withSize(4096).withReadOnly(true))) {
            assertThat(device).isInstanceOf(ReadOnlyDevice.class);
            assertThat(device.sizeBytes()).isEqualTo(4096);
        }
        assertThatThrownBy(() -> BlockDevices.open("memory", defaults)).hasMessageContaining("needs a size");
        assertThatThrownBy(() -> BlockDevices.open("memory:12Q", defaults)).hasMessageContaining("'12Q'");
        assertThatThrownBy(() -> BlockDevices.open("memory:1M", defaults.withSize(5)))
                .hasMessageContaining("says 1048576 bytes");
    }

    @Test
    void missingFilesAreCreatedSparseWithTheGivenSizeAndReopenedLater() throws IOException {
        Path file = dir.resolve("new.img");
        try (BlockDevice device = BlockDevices.open(file.toString(), defaults.withSize(1 << 20))) {
            assertThat(device).isInstanceOf(FileBlockDevice.class);
            assertThat(device.write(0, Unpooled.wrappedBuffer(new byte[] {42}), BlockDevice.FUA).join().ok()).isTrue();
        }
        assertThat(Files.size(file)).isEqualTo(1 << 20);
        try (BlockDevice device = BlockDevices.open("file:" + file, defaults)) {
            assertThat(DeviceModel.readAll(device, 0, 1)).containsExactly(42);
        }
        try (BlockDevice device = BlockDevices.open("file:" + file, defaults.withSize(1 << 20).withReadOnly(true))) {
            assertThat(device.capabilities().readOnly()).isTrue();
        }
    }

    @Test
    void badFileSpecsFailNamingThePath() throws IOException {
        Path missing = dir.resolve("missing.img");
        assertThatThrownBy(() -> BlockDevices.open(missing.toString(), defaults))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.img").hasMessageContaining("size");
        Path file = dir.resolve("small.img");
        FileBlockDevice.create(file, 4096);
        assertThatThrownBy(() -> BlockDevices.open(file.toString(), defaults.withSize(8192)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("small.img has 4096 bytes");
        assertThatThrownBy(() -> BlockDevices.open("dev:" + file, defaults))
                .isInstanceOf(IOException.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> BlockDevices.open(" ", defaults)).isInstanceOf(IllegalArgumentException.class);
    }
}
