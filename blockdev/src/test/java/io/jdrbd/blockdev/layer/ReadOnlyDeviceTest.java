package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ReadOnlyDeviceTest {

    @Test
    void refusesModificationsWithEpermAndPassesReadsThrough() {
        MemoryBlockDevice disk = new MemoryBlockDevice(8192);
        disk.write(0, Unpooled.wrappedBuffer(DeviceModel.data(1, 8192)), 0).join();
        ReadOnlyDevice device = new ReadOnlyDevice(disk);
        assertThat(device.capabilities().readOnly()).isTrue();
        assertThat(device.write(0, Unpooled.wrappedBuffer(new byte[1]), 0).join().error()).isEqualTo(IoError.EPERM);
        assertThat(device.trim(0, 8192, 0).join().error()).isEqualTo(IoError.EPERM);
        assertThat(device.writeZeroes(0, 8192, 0, true, true).join().error()).isEqualTo(IoError.EPERM);
        assertThat(device.flush().join().ok()).isTrue();
        assertThat(DeviceModel.readAll(device, 0, 8192)).isEqualTo(DeviceModel.data(1, 8192));
        device.close();
        assertThat(disk.flush().join().error()).as("closing the layer closes the disk").isEqualTo(IoError.ESHUTDOWN);
    }
}
