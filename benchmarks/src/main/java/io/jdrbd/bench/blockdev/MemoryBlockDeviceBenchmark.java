package io.jdrbd.bench.blockdev;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory device's read and write paths (the NBD baseline's disk): random block-aligned requests
 * over a 256 MiB prefilled device, with a pooled direct buffer as NBD would pass it. Run with
 * {@code -prof gc}: both paths should allocate nothing (the completed future is shared).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryBlockDeviceBenchmark {

    private static final long SIZE_BYTES = 256L << 20;

    @Param({"4096", "131072"})
    int blockBytes;

    private MemoryBlockDevice device;
    private ByteBuf buffer;
    private SplittableRandom random;
    private long blocks;

    @Setup
    public void setUp() {
        device = new MemoryBlockDevice(SIZE_BYTES);
        buffer = PooledByteBufAllocator.DEFAULT.directBuffer(blockBytes);
        buffer.writeZero(blockBytes);
        for (long offset = 0; offset < SIZE_BYTES; offset += blockBytes) {
            device.write(offset, buffer, 0);
        }
        random = new SplittableRandom(1);
        blocks = SIZE_BYTES / blockBytes;
    }

    @TearDown
    public void tearDown() {
        buffer.release();
        device.close();
    }

    @Benchmark
    public IoResult write() {
        return device.write(random.nextLong(blocks) * blockBytes, buffer, 0).join();
    }

    @Benchmark
    public IoResult read() {
        buffer.clear();
        return device.read(random.nextLong(blocks) * blockBytes, blockBytes, buffer).join();
    }
}
