package io.jdrbd.blockdev.memory;

import io.jdrbd.blockdev.DeviceModel;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MemoryBlockDeviceProperties {

    /** Not a multiple of the chunk size, so the last chunk is partial. */
    private static final int SIZE = 5 * MemoryBlockDevice.CHUNK_SIZE + 4096 + 7;

    @Property(tries = 200)
    void behavesLikeAByteArray(@ForAll("ops") List<DeviceModel.Op> ops) {
        try (MemoryBlockDevice device = new MemoryBlockDevice(SIZE)) {
            new DeviceModel(SIZE).runAndCompare(device, ops);
        }
    }

    @Property(tries = 100)
    void alignedDeviceBehavesLikeAByteArray(@ForAll("alignedOps") List<DeviceModel.Op> ops) {
        try (MemoryBlockDevice device = new MemoryBlockDevice(SIZE - 7, 512)) {
            new DeviceModel(SIZE - 7).runAndCompare(device, ops);
        }
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> ops() {
        return DeviceModel.ops(SIZE, 3 * MemoryBlockDevice.CHUNK_SIZE, 1).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> alignedOps() {
        return DeviceModel.ops(SIZE - 7, 3 * MemoryBlockDevice.CHUNK_SIZE, 512).list().ofMaxSize(40);
    }
}
