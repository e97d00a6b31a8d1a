package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.file.FileBlockDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The cache over a device that completes on other threads (a file), so writebacks really are asynchronous. */
class VolatileWriteCacheOverFileProperties {

    private static final int SIZE = 24 * 512 + 77;

    @Property(tries = 40)
    void survivorsAreAllowedVersionsWhenTheDiskBelowIsAsynchronous(@ForAll("ops") List<DeviceModel.Op> ops,
                                                                  @ForAll long seed, @ForAll boolean tinyLimits)
            throws IOException {
        Path file = Files.createTempFile("jdrbd-cache-over-file", ".img");
        try {
            Files.delete(file);
            FileBlockDevice.create(file, SIZE);
            VolatileWriteCacheDevice.Limits limits = tinyLimits
                    ? new VolatileWriteCacheDevice.Limits(1024, 2) : VolatileWriteCacheDevice.Limits.DEFAULT;
            try (FileBlockDevice disk = FileBlockDevice.open(file)) {
                VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                        VolatileWriteCacheDevice.PowerCutModel.randomSurvivors(seed, 0.5), limits);
                CrashModel model = new CrashModel(SIZE);
                for (DeviceModel.Op op : ops) {
                    model.apply(device, op);
                }
                device.powerCut().join();
                model.assertSurvivorsAllowed(DeviceModel.readAll(disk, 0, SIZE));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> ops() {
        return DeviceModel.ops(SIZE, 4 * 512, 1).list().ofMaxSize(25);
    }
}
