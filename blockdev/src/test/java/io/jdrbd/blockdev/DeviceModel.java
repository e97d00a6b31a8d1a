package io.jdrbd.blockdev;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A byte array that behaves as a block device should, and a driver that applies the same
 * operations to it and to a real device, comparing every read and every allocation answer.
 */
public final class DeviceModel {

    public enum Kind { WRITE, WRITE_FUA, READ, TRIM, ZERO, ZERO_NO_HOLE, FLUSH }

    /** One operation: {@code dataSeed} makes the written bytes. */
    public record Op(Kind kind, long offset, int length, long dataSeed) {
        @Override
        public String toString() {
            return kind + "@" + offset + "+" + length;
        }
    }

    private final byte[] bytes;

    public DeviceModel(int sizeBytes) {
        this.bytes = new byte[sizeBytes];
    }

    /** Random operations inside a device of {@code sizeBytes}, aligned to {@code alignment}. */
    public static Arbitrary<Op> ops(int sizeBytes, int maxLength, int alignment) {
        Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
        Arbitrary<Integer> starts = Arbitraries.integers().between(0, (sizeBytes - 1) / alignment)
                .map(block -> block * alignment);
        Arbitrary<Integer> lengths = Arbitraries.integers().between(0, maxLength / alignment)
                .map(blocks -> blocks * alignment);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(kinds, starts, lengths, seeds)
                .as((kind, start, length, seed) -> new Op(kind, start,
                        (int) Math.min(length, (long) sizeBytes - start), seed));
    }

    public static byte[] data(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /** Applies {@code ops} to the model and the device; asserts reads and allocation agree. */
    public void runAndCompare(BlockDevice device, List<Op> ops) {
        for (Op op : ops) {
            apply(device, op);
        }
        assertThat(readAll(device, 0, bytes.length)).as("whole device after %s", ops)
                .isEqualTo(bytes);
        checkAllocation(device, 0, bytes.length);
    }

    public void apply(BlockDevice device, Op op) {
        switch (op.kind()) {
            case WRITE:
            case WRITE_FUA: {
                byte[] data = data(op.dataSeed(), op.length());
                ByteBuf buf = Unpooled.wrappedBuffer(data);
                IoResult result = device.write(op.offset(), buf, op.kind() == Kind.WRITE_FUA ? BlockDevice.FUA : 0)
                        .join();
                assertThat(result.ok()).as("%s: %s", op, result).isTrue();
                assertThat(buf.readableBytes()).as("write must not consume the caller's buffer")
                        .isEqualTo(op.length());
                System.arraycopy(data, 0, bytes, (int) op.offset(), op.length());
                break;
            }
            case READ:
                assertThat(readAll(device, op.offset(), op.length())).as("%s", op)
                        .isEqualTo(Arrays.copyOfRange(bytes, (int) op.offset(), (int) op.offset() + op.length()));
                break;
            case TRIM:
                assertOk(device.trim(op.offset(), op.length(), 0).join(), op);
                Arrays.fill(bytes, (int) op.offset(), (int) op.offset() + op.length(), (byte) 0);
                break;
            case ZERO:
            case ZERO_NO_HOLE:
                assertOk(device.writeZeroes(op.offset(), op.length(), 0, op.kind() == Kind.ZERO, false).join(), op);
                Arrays.fill(bytes, (int) op.offset(), (int) op.offset() + op.length(), (byte) 0);
                break;
            case FLUSH:
                assertOk(device.flush().join(), op);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    /** Every extent the device calls zero really is zero in the model; extents tile the range. */
    public void checkAllocation(BlockDevice device, long offset, long length) {
        long position = offset;
        long end = offset + length;
        int answers = 0;
        while (position < end) {
            BlockDevice.AllocationResult answer = device.allocation(position, end - position).join();
            assertThat(answer.result().ok()).as("allocation %d: %s", position, answer.result()).isTrue();
            assertThat(answer.extents()).isNotEmpty();
            for (AllocationExtent extent : answer.extents()) {
                assertThat(extent.offsetBytes()).isEqualTo(position);
                assertThat(extent.endBytes()).isLessThanOrEqualTo(end);
                if (extent.zero()) {
                    for (long i = extent.offsetBytes(); i < extent.endBytes(); i++) {
                        if (bytes[(int) i] != 0) {
                            throw new AssertionError("extent " + extent + " claims zero but byte " + i + " is "
                                    + bytes[(int) i]);
                        }
                    }
                }
                position = extent.endBytes();
            }
            assertThat(++answers).as("allocation answers").isLessThan(100_000);
        }
    }

    public byte[] bytes() {
        return bytes;
    }

    public static byte[] readAll(BlockDevice device, long offset, int length) {
        ByteBuf target = Unpooled.buffer(length);
        try {
            IoResult result = device.read(offset, length, target).join();
            assertThat(result.ok()).as("read %d+%d: %s", offset, length, result).isTrue();
            assertThat(target.readableBytes()).isEqualTo(length);
            byte[] out = new byte[length];
            target.getBytes(0, out);
            return out;
        } finally {
            target.release();
        }
    }

    private static void assertOk(IoResult result, Op op) {
        assertThat(result.ok()).as("%s: %s", op, result).isTrue();
    }
}
