package io.jdrbd.bench.metadata;

import io.jdrbd.metadata.ActivityLog;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The activity log with DRBD's default 1237 slots: a write to a hot extent (activate + release, no
 * transaction) against a write to a cold extent (activate, build the 4 KiB transaction with its
 * CRC, commit, release). The counters report transactions per write: 0 for hot, 1 for cold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ActivityLogBenchmark {
    private static final int AL_EXTENTS = 1237;

    private ActivityLog log;
    private long hotExtent;
    private long coldExtent;

    /** Transactions and writes of one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        public long transactions;
        public long writes;

        @Setup(Level.Iteration)
        public void reset() {
            transactions = 0;
            writes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        log = new ActivityLog(AL_EXTENTS);
        for (long extent = 0; extent < 1000; extent++) {
            log.activate(extent, extent);
            if (log.hasQueuedChanges() && (extent % 64 == 63 || extent == 999)) {
                log.onTransactionWritten(log.prepareTransaction());
            }
            log.release(extent, extent);
        }
        coldExtent = 1_000_000;
    }

    @Benchmark
    public ActivityLog.Activation writeToHotExtent(Counts counts) {
        hotExtent = (hotExtent + 7) % 1000;
        ActivityLog.Activation activation = log.activate(hotExtent, hotExtent);
        if (activation != ActivityLog.Activation.ACTIVE) {
            counts.transactions++;
            log.onTransactionWritten(log.prepareTransaction());
        }
        log.release(hotExtent, hotExtent);
        counts.writes++;
        return activation;
    }

    @Benchmark
    public int writeToColdExtent(Counts counts) {
        long extent = coldExtent++;
        ActivityLog.Activation activation = log.activate(extent, extent);
        int trNumber = -1;
        if (activation != ActivityLog.Activation.ACTIVE) {
            ActivityLog.Transaction transaction = log.prepareTransaction();
            trNumber = transaction.trNumber();
            log.onTransactionWritten(transaction);
            counts.transactions++;
        }
        log.release(extent, extent);
        counts.writes++;
        return trNumber;
    }
}
