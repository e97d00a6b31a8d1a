package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Injects I/O errors and latency into the device below, deterministically.
 *
 * <p>Errors follow {@link FaultRule}s. A rule watches some operation kinds on a byte range; every
 * operation of a watched kind that overlaps the range (flushes, which have no range, always
 * "overlap") is a <em>matching</em> operation. The first {@code passBeforeFailing} matching
 * operations pass; after that the rule fires, once ({@code oneShot}) or on every later matching
 * operation. A fired operation never reaches the device below (nothing of a failed write is
 * written) and completes with the rule's error on the intersection of its range and the rule's.
 * Rules are checked in the order they were added and in the order operations are called, so the
 * same calls give the same faults.
 *
 * <p>Latency: with {@link #setLatency}, every operation still runs on the device below at once, but
 * its completion is handed to the caller {@code fixedNs + uniform[0, jitterNs]} later through the
 * supplied {@link DelayScheduler} (jitter drawn from the seed). No thread sleeps.
 */
public final class FaultInjectingDevice extends ForwardingDevice {

    /** Operation kinds a rule can watch. */
    public enum Operation { READ, WRITE, FLUSH, TRIM, WRITE_ZEROES }

    /**
     * @param operations        the kinds this rule watches (not empty)
     * @param offsetBytes       first byte of the watched range
     * @param lengthBytes       length of the watched range (&gt; 0; ignored for flushes)
     * @param passBeforeFailing matching operations that pass before the rule fires (0: fire at once)
     * @param oneShot           fire once, then never again; otherwise fire on every later match
     * @param error             the error fired operations complete with
     */
    public record FaultRule(Set<Operation> operations, long offsetBytes, long lengthBytes,
                            long passBeforeFailing, boolean oneShot, IoError error) {
        public FaultRule {
            if (operations.isEmpty()) {
                throw new IllegalArgumentException("a fault rule needs at least one operation kind");
            }
            if (offsetBytes < 0 || lengthBytes <= 0 || offsetBytes + lengthBytes < 0) {
                throw new IllegalArgumentException("bad fault range " + offsetBytes + "+" + lengthBytes);
            }
            if (passBeforeFailing < 0) {
                throw new IllegalArgumentException("passBeforeFailing < 0: " + passBeforeFailing);
            }
            operations = Set.copyOf(operations);
        }

        /** Permanent EIO on every read overlapping the range. */
        public static FaultRule readErrors(long offsetBytes, long lengthBytes) {
            return new FaultRule(EnumSet.of(Operation.READ), offsetBytes, lengthBytes, 0, false, IoError.EIO);
        }

        /** Permanent EIO on every write, trim and write-zeroes overlapping the range. */
        public static FaultRule writeErrors(long offsetBytes, long lengthBytes) {
            return new FaultRule(EnumSet.of(Operation.WRITE, Operation.TRIM, Operation.WRITE_ZEROES),
                    offsetBytes, lengthBytes, 0, false, IoError.EIO);
        }

        /** Permanent EIO on every flush. */
        public static FaultRule flushErrors() {
            return new FaultRule(EnumSet.of(Operation.FLUSH), 0, Long.MAX_VALUE, 0, false, IoError.EIO);
        }

        public FaultRule afterMatching(long operationsThatPass) {
            return new FaultRule(operations, offsetBytes, lengthBytes, operationsThatPass, oneShot, error);
        }

        public FaultRule once() {
            return new FaultRule(operations, offsetBytes, lengthBytes, passBeforeFailing, true, error);
        }

        public FaultRule withError(IoError value) {
            return new FaultRule(operations, offsetBytes, lengthBytes, passBeforeFailing, oneShot, value);
        }
    }

    /** A rule in force, with its counters. */
    private static final class ActiveRule {
        final long id;
        final FaultRule rule;
        long matched;
        long fired;

        ActiveRule(long id, FaultRule rule) {
            this.id = id;
            this.rule = rule;
        }
    }

    private final DelayScheduler scheduler;
    private final SplittableRandom random;
    private final List<ActiveRule> rules = new ArrayList<>();
    private long nextRuleId = 1;
    private long latencyFixedNs;
    private long latencyJitterNs;

    /**
     * @param seed      seeds the latency jitter
     * @param scheduler delivers delayed completions; may be {@code null} when no latency is added
     */
    public FaultInjectingDevice(BlockDevice inner, long seed, DelayScheduler scheduler) {
        super(inner);
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
    }

    /** Adds a rule and returns its id (for {@link #firedCount} and {@link #removeRule}). */
    public synchronized long addRule(FaultRule rule) {
        long id = nextRuleId++;
        rules.add(new ActiveRule(id, rule));
        return id;
    }

    public synchronized boolean removeRule(long id) {
        return rules.removeIf(active -> active.id == id);
    }

    public synchronized void clearRules() {
        rules.clear();
    }

    /** How many operations rule {@code id} has failed so far (0 for unknown ids). */
    public synchronized long firedCount(long id) {
        for (ActiveRule active : rules) {
            if (active.id == id) {
                return active.fired;
            }
        }
        return 0;
    }

    /** Delays every completion by {@code fixedNs} plus a seeded uniform jitter in [0, jitterNs]. */
    public synchronized void setLatency(long fixedNs, long jitterNs) {
        if (fixedNs < 0 || jitterNs < 0) {
            throw new IllegalArgumentException("negative latency " + fixedNs + "/" + jitterNs);
        }
        if ((fixedNs > 0 || jitterNs > 0) && scheduler == null) {
            throw new IllegalStateException("latency needs a DelayScheduler");
        }
        latencyFixedNs = fixedNs;
        latencyJitterNs = jitterNs;
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        return run(Operation.READ, offsetBytes, lengthBytes, () -> inner.read(offsetBytes, lengthBytes, target));
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        return run(Operation.WRITE, offsetBytes, data.readableBytes(), () -> inner.write(offsetBytes, data, flags));
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        return run(Operation.FLUSH, 0, 0, inner::flush);
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return run(Operation.TRIM, offsetBytes, lengthBytes, () -> inner.trim(offsetBytes, lengthBytes, flags));
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        return run(Operation.WRITE_ZEROES, offsetBytes, lengthBytes,
                () -> inner.writeZeroes(offsetBytes, lengthBytes, flags, mayPunchHole, fastZero));
    }

    private CompletableFuture<IoResult> run(Operation operation, long offsetBytes, long lengthBytes,
                                            Supplier<CompletableFuture<IoResult>> call) {
        IoResult injected;
        long delayNs;
        synchronized (this) {
            injected = checkRules(operation, offsetBytes, lengthBytes);
            delayNs = latencyFixedNs + (latencyJitterNs > 0 ? random.nextLong(latencyJitterNs + 1) : 0);
        }
        CompletableFuture<IoResult> result = injected != null ? IoFutures.of(injected) : call.get();
        if (delayNs == 0) {
            return result;
        }
        CompletableFuture<IoResult> delayed = new CompletableFuture<>();
        result.whenComplete((value, failure) -> scheduler.schedule(delayNs, () -> {
            if (failure != null) {
                delayed.completeExceptionally(failure);
            } else {
                delayed.complete(value);
            }
        }));
        return delayed;
    }

    /** Counts the operation against every matching rule; the first rule that fires decides. */
    private IoResult checkRules(Operation operation, long offsetBytes, long lengthBytes) {
        IoResult injected = null;
        for (ActiveRule active : rules) {
            FaultRule rule = active.rule;
            if (!rule.operations().contains(operation) || !overlaps(operation, rule, offsetBytes, lengthBytes)) {
                continue;
            }
            active.matched++;
            boolean spent = rule.oneShot() && active.fired > 0;
            if (injected == null && !spent && active.matched > rule.passBeforeFailing()) {
                active.fired++;
                long start = operation == Operation.FLUSH ? 0 : Math.max(offsetBytes, rule.offsetBytes());
                long end = operation == Operation.FLUSH ? 0
                        : Math.min(offsetBytes + lengthBytes, rule.offsetBytes() + rule.lengthBytes());
                injected = IoResult.failed(rule.error(), start, end - start,
                        "injected " + rule.error() + " on " + operation + " (fault rule " + active.id + ")");
            }
        }
        return injected;
    }

    private static boolean overlaps(Operation operation, FaultRule rule, long offsetBytes, long lengthBytes) {
        if (operation == Operation.FLUSH) {
            return true;
        }
        return lengthBytes > 0 && offsetBytes < rule.offsetBytes() + rule.lengthBytes()
                && rule.offsetBytes() < offsetBytes + lengthBytes;
    }
}
