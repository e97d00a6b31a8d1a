package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.layer.FaultInjectingDevice.FaultRule;
import io.jdrbd.blockdev.layer.FaultInjectingDevice.Operation;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class FaultInjectingDeviceProperties {

    private static final int SIZE = 16 * 1024;

    /** Reads and writes against one rule: exactly the predicted operations fail; failed writes write nothing. */
    @Property(tries = 200)
    void faultsHitExactlyTheMatchingOperationsAfterTheThreshold(
            @ForAll("ops") List<DeviceModel.Op> ops, @ForAll @IntRange(max = SIZE - 1) int ruleStart,
            @ForAll @IntRange(min = 1, max = 4096) int ruleLength, @ForAll @IntRange(max = 5) int pass,
            @ForAll boolean oneShot, @ForAll boolean watchReads) {
        MemoryBlockDevice disk = new MemoryBlockDevice(SIZE);
        FaultInjectingDevice device = new FaultInjectingDevice(disk, 1, null);
        Operation watched = watchReads ? Operation.READ : Operation.WRITE;
        long rule = device.addRule(new FaultRule(EnumSet.of(watched), ruleStart, ruleLength, pass, oneShot,
                IoError.EIO));
        byte[] model = new byte[SIZE];
        long matched = 0;
        long fired = 0;
        for (DeviceModel.Op op : ops) {
            boolean isRead = op.kind() == DeviceModel.Kind.READ;
            boolean overlaps = op.length() > 0 && op.offset() < ruleStart + ruleLength
                    && ruleStart < op.offset() + op.length();
            boolean matches = overlaps && (isRead == watchReads);
            if (matches) {
                matched++;
            }
            boolean expectFailure = matches && matched > pass && !(oneShot && fired > 0);
            if (expectFailure) {
                fired++;
            }
            IoResult result;
            if (isRead) {
                result = device.read(op.offset(), op.length(), Unpooled.buffer(op.length())).join();
            } else {
                byte[] data = DeviceModel.data(op.dataSeed(), op.length());
                result = device.write(op.offset(), Unpooled.wrappedBuffer(data), 0).join();
                if (result.ok()) {
                    System.arraycopy(data, 0, model, (int) op.offset(), op.length());
                }
            }
            assertThat(result.ok()).as("%s (matched %d, pass %d, oneShot %s)", op, matched, pass, oneShot)
                    .isEqualTo(!expectFailure);
            if (expectFailure) {
                assertThat(result.offsetBytes()).isEqualTo(Math.max(op.offset(), ruleStart));
                assertThat(result.offsetBytes() + result.lengthBytes())
                        .isEqualTo(Math.min(op.offset() + op.length(), (long) ruleStart + ruleLength));
            }
        }
        assertThat(device.firedCount(rule)).isEqualTo(fired);
        assertThat(DeviceModel.readAll(disk, 0, SIZE)).as("failed writes reached the disk")
                .isEqualTo(Arrays.copyOf(model, SIZE));
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> ops() {
        return DeviceModel.ops(SIZE, 4096, 1)
                .filter(op -> op.kind() == DeviceModel.Kind.READ || op.kind() == DeviceModel.Kind.WRITE)
                .list().ofMaxSize(30);
    }
}
