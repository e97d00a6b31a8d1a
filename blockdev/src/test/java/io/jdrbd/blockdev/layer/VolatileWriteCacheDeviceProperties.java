package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class VolatileWriteCacheDeviceProperties {

    /** 40 sectors plus a partial one. */
    private static final int SIZE = 40 * 512 + 100;

    @Property(tries = 150)
    void withoutPowerCutTheCacheIsInvisible(@ForAll("ops") List<DeviceModel.Op> ops,
                                            @ForAll boolean tinyLimits) {
        VolatileWriteCacheDevice.Limits limits = tinyLimits
                ? new VolatileWriteCacheDevice.Limits(2048, 3) : VolatileWriteCacheDevice.Limits.DEFAULT;
        try (VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(new MemoryBlockDevice(SIZE),
                VolatileWriteCacheDevice.PowerCutModel.loseAll(), limits)) {
            new DeviceModel(SIZE).runAndCompare(device, ops);
        }
    }

    /** Found by the property below: a zero-length FUA write next to a cached byte made that byte durable. */
    @net.jqwik.api.Example
    void aZeroLengthFuaWriteMakesNothingDurable() {
        powerCutLosesExactlyWhatWasNotDurable(List.of(new DeviceModel.Op(DeviceModel.Kind.WRITE, 0, 1, 1),
                new DeviceModel.Op(DeviceModel.Kind.WRITE_FUA, 1, 0, 2)));
    }

    @Property(tries = 300)
    void powerCutLosesExactlyWhatWasNotDurable(@ForAll("ops") List<DeviceModel.Op> ops) {
        MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.loseAll());
        CrashModel model = new CrashModel(SIZE);
        for (DeviceModel.Op op : ops) {
            model.apply(device, op);
        }
        VolatileWriteCacheDevice.PowerCutReport report = device.powerCut().join();
        assertThat(report.result().ok()).isTrue();
        assertThat(report.survivingPieces()).isZero();
        assertThat(device.dirtyBytes()).isZero();
        model.assertOnlyDurableSurvived(DeviceModel.readAll(disk, 0, SIZE));
        model.assertOnlyDurableSurvived(DeviceModel.readAll(device, 0, SIZE));
    }

    @Property(tries = 300)
    void randomSurvivorsNeverTearASectorNorLoseDurableData(@ForAll("ops") List<DeviceModel.Op> ops,
                                                          @ForAll long seed,
                                                          @ForAll @DoubleRange(min = 0, max = 1) double survival,
                                                          @ForAll boolean tinyLimits) {
        VolatileWriteCacheDevice.Limits limits = tinyLimits
                ? new VolatileWriteCacheDevice.Limits(2048, 3) : VolatileWriteCacheDevice.Limits.DEFAULT;
        MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);
        VolatileWriteCacheDevice device = new VolatileWriteCacheDevice(disk,
                VolatileWriteCacheDevice.PowerCutModel.randomSurvivors(seed, survival), limits);
        CrashModel model = new CrashModel(SIZE);
        for (DeviceModel.Op op : ops) {
            model.apply(device, op);
        }
        assertThat(device.powerCut().join().result().ok()).isTrue();
        model.assertSurvivorsAllowed(DeviceModel.readAll(disk, 0, SIZE));
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> ops() {
        return DeviceModel.ops(SIZE, 6 * 512, 1).list().ofMaxSize(30);
    }
}
