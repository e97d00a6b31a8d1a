package io.jdrbd.blockdev.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.DeviceModel;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a device with a volatile cache may hold after a power cut: per 512-byte sector, every
 * version it had (its image after each operation touching it) and the index of the oldest version
 * that must have survived (the newest one made durable by a flush or a FUA operation on it).
 */
final class CrashModel {

    private static final int SECTOR = VolatileWriteCacheDevice.SECTOR_BYTES;

    private final byte[] current;
    private final List<List<byte[]>> versions = new ArrayList<>();
    private final int[] durable;

    CrashModel(int sizeBytes) {
        current = new byte[sizeBytes];
        int sectors = (sizeBytes + SECTOR - 1) / SECTOR;
        durable = new int[sectors];
        for (int s = 0; s < sectors; s++) {
            List<byte[]> list = new ArrayList<>();
            list.add(sectorImage(s));
            versions.add(list);
        }
    }

    /** Applies {@code op} to the device and the model. */
    void apply(BlockDevice device, DeviceModel.Op op) {
        IoResult result;
        int flags = op.kind() == DeviceModel.Kind.WRITE_FUA ? BlockDevice.FUA : 0;
        byte[] data = null;
        switch (op.kind()) {
            case WRITE:
            case WRITE_FUA:
                data = DeviceModel.data(op.dataSeed(), op.length());
                result = device.write(op.offset(), Unpooled.wrappedBuffer(data), flags).join();
                break;
            case TRIM:
                result = device.trim(op.offset(), op.length(), 0).join();
                break;
            case ZERO:
            case ZERO_NO_HOLE:
                result = device.writeZeroes(op.offset(), op.length(), 0, op.kind() == DeviceModel.Kind.ZERO, true)
                        .join();
                break;
            case FLUSH:
                result = device.flush().join();
                break;
            case READ:
                assertThat(DeviceModel.readAll(device, op.offset(), op.length())).as("%s", op)
                        .isEqualTo(Arrays.copyOfRange(current, (int) op.offset(), (int) op.offset() + op.length()));
                return;
            default:
                throw new AssertionError(op);
        }
        assertThat(result.ok()).as("%s: %s", op, result).isTrue();
        if (op.kind() == DeviceModel.Kind.FLUSH) {
            for (int s = 0; s < durable.length; s++) {
                durable[s] = versions.get(s).size() - 1;
            }
            return;
        }
        if (op.length() == 0) {
            return;
        }
        if (data != null) {
            System.arraycopy(data, 0, current, (int) op.offset(), op.length());
        } else {
            Arrays.fill(current, (int) op.offset(), (int) op.offset() + op.length(), (byte) 0);
        }
        int first = (int) (op.offset() / SECTOR);
        int last = (int) ((op.offset() + op.length() - 1) / SECTOR);
        for (int s = first; s <= last; s++) {
            versions.get(s).add(sectorImage(s));
            if (flags != 0) {
                durable[s] = versions.get(s).size() - 1;
            }
        }
    }

    /** Every sector of {@code after} is one of its versions, no older than its durable one. */
    void assertSurvivorsAllowed(byte[] after) {
        for (int s = 0; s < durable.length; s++) {
            byte[] sector = Arrays.copyOfRange(after, s * SECTOR, Math.min(after.length, (s + 1) * SECTOR));
            List<byte[]> list = versions.get(s);
            boolean allowed = false;
            for (int v = durable[s]; v < list.size() && !allowed; v++) {
                allowed = Arrays.equals(sector, list.get(v));
            }
            if (!allowed) {
                int older = -1;
                for (int v = 0; v < durable[s]; v++) {
                    older = Arrays.equals(sector, list.get(v)) ? v : older;
                }
                throw new AssertionError("sector " + s + " holds no allowed version (durable version " + durable[s]
                        + " of " + (list.size() - 1) + "; matches older version " + older + ")");
            }
        }
    }

    /** Every sector holds exactly its durable version (nothing unflushed survived). */
    void assertOnlyDurableSurvived(byte[] after) {
        for (int s = 0; s < durable.length; s++) {
            byte[] sector = Arrays.copyOfRange(after, s * SECTOR, Math.min(after.length, (s + 1) * SECTOR));
            assertThat(sector).as("sector %d", s).isEqualTo(versions.get(s).get(durable[s]));
        }
    }

    /** How many sectors hold a version newer than their durable one. */
    int sectorsNewerThanDurable(byte[] after) {
        int count = 0;
        for (int s = 0; s < durable.length; s++) {
            byte[] sector = Arrays.copyOfRange(after, s * SECTOR, Math.min(after.length, (s + 1) * SECTOR));
            if (!Arrays.equals(sector, versions.get(s).get(durable[s]))) {
                count++;
            }
        }
        return count;
    }

    private byte[] sectorImage(int sector) {
        return Arrays.copyOfRange(current, sector * SECTOR, Math.min(current.length, (sector + 1) * SECTOR));
    }
}
