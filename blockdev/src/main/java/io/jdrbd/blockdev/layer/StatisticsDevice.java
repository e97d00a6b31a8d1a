package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts operations, bytes and errors per kind and records each operation's latency (call to
 * completion, in nanoseconds of the supplied clock) in an HdrHistogram. Thread-safe; recording
 * allocates nothing when the device below completes synchronously.
 */
public final class StatisticsDevice extends ForwardingDevice {

    /** What is counted. */
    public enum Kind { READ, WRITE, FLUSH, TRIM, WRITE_ZEROES, CACHE }

    /** Latencies above this (one hour) are recorded as this. */
    private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    /**
     * Totals of one kind since the device was created.
     *
     * @param latencyNs a copy of the latency histogram (nanoseconds); the caller may keep and change it
     */
    public record KindStatistics(long operations, long bytes, long errors, Histogram latencyNs) {
        public long latencyNsAtPercentile(double percentile) {
            return latencyNs.getValueAtPercentile(percentile);
        }
    }

    /** A consistent-enough view of all counters (each kind's histogram is exact at snapshot time). */
    public record Snapshot(Map<Kind, KindStatistics> kinds) {
        public KindStatistics of(Kind kind) {
            return kinds.get(kind);
        }
    }

    private static final class Counters {
        final LongAdder operations = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        /** Accumulates the recorder's intervals; guarded by the device's lock. */
        final Histogram total = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        Histogram recycled;
    }

    private final LongSupplier nanoClock;
    private final EnumMap<Kind, Counters> counters = new EnumMap<>(Kind.class);

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}, or the simulator's clock) */
    public StatisticsDevice(BlockDevice inner, LongSupplier nanoClock) {
        super(inner);
        this.nanoClock = nanoClock;
        for (Kind kind : Kind.values()) {
            counters.put(kind, new Counters());
        }
    }

    public StatisticsDevice(BlockDevice inner) {
        this(inner, System::nanoTime);
    }

    /** Totals per kind since creation. */
    public synchronized Snapshot snapshot() {
        EnumMap<Kind, KindStatistics> kinds = new EnumMap<>(Kind.class);
        for (Map.Entry<Kind, Counters> entry : counters.entrySet()) {
            Counters c = entry.getValue();
            c.recycled = c.recorder.getIntervalHistogram(c.recycled);
            c.total.add(c.recycled);
            kinds.put(entry.getKey(), new KindStatistics(c.operations.sum(), c.bytes.sum(), c.errors.sum(),
                    c.total.copy()));
        }
        return new Snapshot(kinds);
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        return record(Kind.READ, lengthBytes, nanoClock.getAsLong(), inner.read(offsetBytes, lengthBytes, target));
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int length = data.readableBytes();
        return record(Kind.WRITE, length, nanoClock.getAsLong(), inner.write(offsetBytes, data, flags));
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        return record(Kind.FLUSH, 0, nanoClock.getAsLong(), inner.flush());
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return record(Kind.TRIM, lengthBytes, nanoClock.getAsLong(), inner.trim(offsetBytes, lengthBytes, flags));
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        long start = nanoClock.getAsLong();
        return record(Kind.WRITE_ZEROES, lengthBytes, start,
                inner.writeZeroes(offsetBytes, lengthBytes, flags, mayPunchHole, fastZero));
    }

    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        return record(Kind.CACHE, lengthBytes, nanoClock.getAsLong(), inner.cache(offsetBytes, lengthBytes));
    }

    private CompletableFuture<IoResult> record(Kind kind, long lengthBytes, long startNs,
                                               CompletableFuture<IoResult> future) {
        Counters c = counters.get(kind);
        if (future.isDone() && !future.isCompletedExceptionally()) {
            count(c, lengthBytes, startNs, future.getNow(null));
            return future;
        }
        return future.whenComplete((result, failure) -> count(c, lengthBytes, startNs, result));
    }

    private void count(Counters c, long lengthBytes, long startNs, IoResult result) {
        long latencyNs = Math.max(0, Math.min(HIGHEST_TRACKABLE_NS, nanoClock.getAsLong() - startNs));
        c.operations.increment();
        if (result != null && result.ok()) {
            c.bytes.add(lengthBytes);
        } else {
            c.errors.increment();
        }
        c.recorder.recordValue(latencyNs);
    }
}
