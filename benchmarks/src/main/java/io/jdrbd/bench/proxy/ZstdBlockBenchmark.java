package io.jdrbd.bench.proxy;

import io.jdrbd.proxy.BlockCompressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The proxy's compression step exactly as the relay runs it: one 128 KiB block of text
 * (/usr/share/common-licenses) into one link frame. Ops/s × 128 KiB = MB/s; run with {@code -t 1}
 * and {@code -t 2} for the 1 → 2 core scaling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ZstdBlockBenchmark {

    static final int BLOCK_BYTES = 128 * 1024;

    @Param({"3"})
    int level;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private byte[][] blocks;
    private int next;

    @Setup(Level.Trial)
    public void loadText() throws Exception {
        byte[] text = Corpus.licenses(8 << 20);
        blocks = new byte[text.length / BLOCK_BYTES][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = java.util.Arrays.copyOfRange(text, i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
        }
    }

    @Benchmark
    public int compressBlock() {
        byte[] data = blocks[next++ % blocks.length];
        ByteBuf block = alloc.directBuffer(BLOCK_BYTES).writeBytes(data);
        ByteBuf frame = BlockCompressor.frame(block, level, alloc);
        int size = frame.readableBytes();
        frame.release();
        return size;
    }

    @TearDown
    public void done() {
        blocks = null;
    }
}
