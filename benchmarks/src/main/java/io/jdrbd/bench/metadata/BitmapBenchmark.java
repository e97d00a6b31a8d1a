package io.jdrbd.bench.metadata;

import io.jdrbd.metadata.Bitmap;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bitmap of a 1 TiB device with one peer (2^28 bits, 32 MiB): counting set bits (the O(1)
 * counter and a full recount), find-next over a sparse (one bit per 1 Mi) and a dense (half the
 * bits, random) map, set/clear of random bits, and encoding a dirty 4 KiB page for write-back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class BitmapBenchmark {
    private static final long TIB_SECTORS = (1L << 40) / 512;

    @Param({"sparse", "dense"})
    public String fill;

    private Bitmap bitmap;
    /** The reference: java.util.BitSet holding the same bits. */
    private BitSet reference;
    /** A plain array as large as the bitmap, for the page-copy reference. */
    private long[] plainWords;
    private SplittableRandom random;
    private long[] positions;
    private int next;
    private final ByteBuffer page = ByteBuffer.allocate(4096);

    @Setup(Level.Trial)
    public void setUp() {
        bitmap = Bitmap.forCapacity(TIB_SECTORS, 1);
        random = new SplittableRandom(42);
        if (fill.equals("sparse")) {
            for (long bit = 12345; bit < bitmap.bitCount(); bit += 1 << 20) {
                bitmap.set(0, bit);
            }
        } else {
            for (long bit = 0; bit < bitmap.bitCount(); bit += 64) {
                long word = random.nextLong();
                for (int i = 0; i < 64; i++) {
                    if ((word & (1L << i)) != 0) {
                        bitmap.set(0, bit + i);
                    }
                }
            }
        }
        reference = new BitSet((int) bitmap.bitCount());
        for (long bit = bitmap.nextSet(0, 0); bit >= 0; bit = bitmap.nextSet(0, bit + 1)) {
            reference.set((int) bit);
        }
        plainWords = new long[bitmap.wordsPerSlot()];
        positions = new long[1 << 16];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = random.nextLong(bitmap.bitCount());
        }
    }

    private long position() {
        next = (next + 1) & (positions.length - 1);
        return positions[next];
    }

    @Benchmark
    public long countIncremental() {
        return bitmap.count(0);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long countFullRecount() {
        return bitmap.recount(0);
    }

    @Benchmark
    public long findNextSetFromRandomBit() {
        return bitmap.nextSet(0, position());
    }

    @Benchmark
    public long findNextClearFromRandomBit() {
        return bitmap.nextClear(0, position());
    }

    @Benchmark
    public boolean setAndClearRandomBit() {
        long bit = position();
        boolean changed = bitmap.set(0, bit);
        return bitmap.clear(0, bit) ^ changed;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long referenceBitSetCardinality() {
        return reference.cardinality();
    }

    @Benchmark
    public long referenceBitSetNextSetBit() {
        return reference.nextSetBit((int) position());
    }

    @Benchmark
    public long referenceBitSetNextClearBit() {
        return reference.nextClearBit((int) position());
    }

    @Benchmark
    public boolean referenceBitSetSetAndClear() {
        int bit = (int) position();
        boolean was = reference.get(bit);
        reference.set(bit);
        reference.clear(bit);
        return was;
    }

    /** Reference for page encoding: copying a random 4 KiB of a 32 MiB long[] into a little-endian buffer. */
    @Benchmark
    public int referenceCopyPage() {
        page.clear();
        int first = (int) (position() >>> 6) & ~511;
        page.order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(plainWords, first, 512);
        return page.position();
    }

    @Benchmark
    public int encodeDirtyPage() {
        page.clear();
        int pageIndex = bitmap.pageOf(0, position());
        bitmap.encodePage(pageIndex, page);
        return page.position();
    }
}
