package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.RequestCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A disk's volatile write cache in front of any device: the model every crash test uses.
 *
 * <p><b>Durable</b> means "in the device below". Writes, trims and write-zeroes complete at once and
 * are only cached (reads see them). They become durable when
 * <ul>
 *   <li>a {@link #flush()} completes: every operation completed before the flush was called is
 *       durable (the cache is written back in order, then the device below is flushed);</li>
 *   <li>an operation with {@link BlockDevice#FUA} completes: that operation is durable, and so is
 *       every earlier cached operation on the same 512-byte sectors (a sector reaches the medium as
 *       a whole, with all bytes written to it so far); other cached data stays volatile;</li>
 *   <li>the cache exceeds its {@link Limits}: everything cached is written back (like a disk's
 *       background writeback), and the operation that crossed the limit completes afterwards.</li>
 * </ul>
 *
 * <p>{@link #powerCut()} models losing power: every cached, not yet durable operation is lost,
 * except what the {@link PowerCutModel} lets survive. With {@link PowerCutModel#loseAll()} nothing
 * survives. With {@link PowerCutModel#randomSurvivors} the cached data is cut into runs of whole
 * sectors touched by the same cached operations; each run is torn at up to {@code maxTearsPerRun}
 * random sector boundaries; each resulting piece, with the survival probability, keeps the first
 * {@code k} (uniform in 1..n) of the n cached operations that touched it, else none. So every sector
 * ends as one of its versions (durable content, or its content after one of the cached operations
 * on it, in order) — never a torn mixture within a sector — while a multi-sector write may be torn.
 * Writebacks already in progress (flush, FUA) at the cut still complete. Requests issued while the
 * cut is being applied fail with EIO.
 *
 * <p>A writeback that fails (an error from the device below) fails the flush or FUA operation that
 * caused it; the cached data of that writeback is dropped like a real disk drops a write it could
 * not complete, so later reads may see the older content.
 *
 * <p>{@link #close()} is a clean shutdown: the cache is written back and flushed first.
 */
public final class VolatileWriteCacheDevice extends ForwardingDevice {

    public static final int SECTOR_BYTES = 512;

    /**
     * What survives a power cut.
     *
     * @param seed                seeds every random choice of every cut of this device
     * @param survivalProbability chance that a piece keeps some of its cached versions (0 loses all)
     * @param maxTearsPerRun      upper bound of random sector boundaries a run of sectors is torn at
     */
    public record PowerCutModel(long seed, double survivalProbability, int maxTearsPerRun) {
        public PowerCutModel {
            if (!(survivalProbability >= 0 && survivalProbability <= 1)) {
                throw new IllegalArgumentException("survivalProbability outside [0, 1]: " + survivalProbability);
            }
            if (maxTearsPerRun < 0) {
                throw new IllegalArgumentException("maxTearsPerRun < 0: " + maxTearsPerRun);
            }
        }

        public static PowerCutModel loseAll() {
            return new PowerCutModel(0, 0, 0);
        }

        public static PowerCutModel randomSurvivors(long seed, double survivalProbability) {
            return new PowerCutModel(seed, survivalProbability, 3);
        }
    }

    /**
     * Bounds of the cache; crossing one writes everything back.
     *
     * @param maxDirtyBytes   cached data bytes (zero and trim ranges count nothing)
     * @param maxDirtyRecords cached operations (bounds the cost of reads and power cuts)
     */
    public record Limits(long maxDirtyBytes, int maxDirtyRecords) {
        public static final Limits DEFAULT = new Limits(64L << 20, 4096);

        public Limits {
            if (maxDirtyBytes < 0 || maxDirtyRecords < 1) {
                throw new IllegalArgumentException("bad cache limits " + maxDirtyBytes + "/" + maxDirtyRecords);
            }
        }
    }

    /** What a power cut did: cached operations at the cut, and pieces of them that survived. */
    public record PowerCutReport(IoResult result, int cachedOperations, int survivingPieces) {
    }

    private enum State { CACHED, WRITING_BACK, DURABLE }

    /** A cached operation (or a piece of one): data, or zeroes when {@code data} is null. */
    private static final class Record {
        final long offset;
        final long length;
        final byte[] data;
        final int dataOffset;
        final boolean mayPunchHole;
        State state = State.CACHED;
        long durableGeneration;

        Record(long offset, long length, byte[] data, int dataOffset, boolean mayPunchHole) {
            this.offset = offset;
            this.length = length;
            this.data = data;
            this.dataOffset = dataOffset;
            this.mayPunchHole = mayPunchHole;
        }

        long end() {
            return offset + length;
        }

        long dataBytes() {
            return data == null ? 0 : length;
        }

        /** The part of this record inside {@code [from, to)}, which must intersect it. */
        Record slice(long from, long to) {
            long start = Math.max(from, offset);
            long stop = Math.min(to, end());
            return new Record(start, stop - start, data, dataOffset + (int) (start - offset), mayPunchHole);
        }
    }

    private final Limits limits;
    private final PowerCutModel powerCutModel;
    private final SplittableRandom random;
    /** Cached and written-back records, oldest first; guarded by this. */
    private final List<Record> overlay = new ArrayList<>();
    /** In-flight reads by the durable generation at their start; guarded by this. */
    private final TreeMap<Long, Integer> readsByStartGeneration = new TreeMap<>();
    private long durableGeneration;
    private long dirtyBytes;
    private int dirtyRecords;
    private boolean cuttingPower;
    /** Completes when the last scheduled writeback is done; writebacks run strictly in order. */
    private CompletableFuture<Void> writebackTail = CompletableFuture.completedFuture(null);

    public VolatileWriteCacheDevice(BlockDevice inner, PowerCutModel powerCutModel, Limits limits) {
        super(inner);
        this.powerCutModel = powerCutModel;
        this.limits = limits;
        this.random = new SplittableRandom(powerCutModel.seed());
    }

    public VolatileWriteCacheDevice(BlockDevice inner, PowerCutModel powerCutModel) {
        this(inner, powerCutModel, Limits.DEFAULT);
    }

    @Override
    public Capabilities capabilities() {
        Capabilities below = inner.capabilities();
        return new Capabilities(below.readOnly(), true, true, true, true, true, true, below.canCache());
    }

    /** Data bytes cached and not yet durable. */
    public synchronized long dirtyBytes() {
        return dirtyBytes;
    }

    /** Cached operations (pieces) not yet durable. */
    public synchronized int dirtyRecords() {
        return dirtyRecords;
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        IoResult rejected = check(offsetBytes, lengthBytes, false);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        int targetIndex = target.writerIndex();
        long startGeneration;
        synchronized (this) {
            startGeneration = durableGeneration;
            readsByStartGeneration.merge(startGeneration, 1, Integer::sum);
        }
        return inner.read(offsetBytes, lengthBytes, target).thenApply(result -> {
            IoResult outcome = result;
            synchronized (this) {
                if (result.ok()) {
                    overlayCachedData(offsetBytes, lengthBytes, target, targetIndex);
                } else if (cacheCovers(offsetBytes, lengthBytes)) {
                    // a cache hit never touches the medium, so the medium's error does not matter
                    target.ensureWritable(lengthBytes);
                    overlayCachedData(offsetBytes, lengthBytes, target, targetIndex);
                    target.writerIndex(targetIndex + lengthBytes);
                    outcome = IoResult.OK;
                }
                readsByStartGeneration.merge(startGeneration, -1, (a, b) -> a + b == 0 ? null : a + b);
                forgetDurableRecords();
            }
            return outcome;
        });
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int lengthBytes = data.readableBytes();
        IoResult rejected = check(offsetBytes, lengthBytes, true);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        byte[] copy = new byte[lengthBytes];
        data.getBytes(data.readerIndex(), copy);
        return cache(new Record(offsetBytes, lengthBytes, copy, 0, false), flags);
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return zeroes(offsetBytes, lengthBytes, flags, true);
    }

    /** Always fast: the zeroes are only recorded until writeback. */
    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        return zeroes(offsetBytes, lengthBytes, flags, mayPunchHole);
    }

    private CompletableFuture<IoResult> zeroes(long offsetBytes, long lengthBytes, int flags, boolean mayPunchHole) {
        IoResult rejected = check(offsetBytes, lengthBytes, true);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        return cache(new Record(offsetBytes, lengthBytes, null, 0, mayPunchHole), flags);
    }

    /** Writes back everything cached now, in order, then flushes the device below. */
    @Override
    public CompletableFuture<IoResult> flush() {
        IoResult rejected = check(0, 0, false);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        List<Record> batch;
        synchronized (this) {
            batch = takeCached(0, Long.MAX_VALUE);
        }
        return writeBack(batch);
    }

    /**
     * Cuts the power: cached, not yet durable operations are lost except the survivors the
     * {@link PowerCutModel} chooses (see the class comment), which are written to the device below
     * and flushed. The device works normally again when the returned future completes.
     */
    public CompletableFuture<PowerCutReport> powerCut() {
        List<Record> cached;
        List<Record> survivors;
        CompletableFuture<Void> previous;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        synchronized (this) {
            cuttingPower = true;
            cached = takeCached(0, Long.MAX_VALUE);
            overlay.removeAll(cached);
            survivors = PowerCutPlanner.survivors(cached, sizeBytes(), powerCutModel, random);
            previous = writebackTail;
            writebackTail = mine;
        }
        int cachedCount = cached.size();
        return previous.thenCompose(ignored -> applyInOrder(survivors, 0))
                .thenCompose(result -> result.ok() ? inner.flush() : IoFutures.of(result))
                .handle((result, failure) -> {
                    synchronized (this) {
                        cuttingPower = false;
                    }
                    mine.complete(null);
                    IoResult outcome = failure != null
                            ? IoResult.failed(IoError.EIO, 0, 0, "power cut writeback failed: " + failure) : result;
                    return new PowerCutReport(outcome, cachedCount, survivors.size());
                });
    }

    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        return inner.allocation(offsetBytes, lengthBytes).thenApply(answer -> {
            if (!answer.result().ok()) {
                return answer;
            }
            List<long[]> cachedRanges;
            synchronized (this) {
                cachedRanges = new ArrayList<>();
                for (Record record : overlay) {
                    cachedRanges.add(new long[] {record.offset, record.end()});
                }
            }
            return AllocationResult.ok(markCachedAsData(answer.extents(), cachedRanges));
        });
    }

    /** Clean shutdown: writes the cache back and flushes before closing the device below. */
    @Override
    public void close() {
        flush().join();
        inner.close();
    }

    private IoResult check(long offsetBytes, long lengthBytes, boolean modifies) {
        synchronized (this) {
            if (cuttingPower) {
                return IoResult.failed(IoError.EIO, offsetBytes, lengthBytes, "power cut in progress");
            }
        }
        if (modifies && inner.capabilities().readOnly()) {
            return IoResult.failed(IoError.EPERM, offsetBytes, lengthBytes, "device is read-only");
        }
        return RequestCheck.range(offsetBytes, lengthBytes, sizeBytes(), requiredAlignment());
    }

    private CompletableFuture<IoResult> cache(Record record, int flags) {
        List<Record> batch = null;
        synchronized (this) {
            overlay.add(record);
            dirtyBytes += record.dataBytes();
            dirtyRecords++;
            if ((flags & FUA) != 0 && record.length > 0) {
                // a zero-length FUA write covers no sector, so it makes nothing durable
                long first = record.offset / SECTOR_BYTES * SECTOR_BYTES;
                long end = (record.end() + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
                batch = takeCached(first, end);
            } else if (dirtyBytes > limits.maxDirtyBytes() || dirtyRecords > limits.maxDirtyRecords()) {
                batch = takeCached(0, Long.MAX_VALUE);
            }
        }
        return batch == null ? IoFutures.OK : writeBack(batch);
    }

    /**
     * Marks the cached parts of records inside {@code [from, to)} as being written back, splitting
     * records that straddle the bounds so their outside parts stay cached at the same place in the
     * order. Returns the marked pieces, oldest first.
     */
    private List<Record> takeCached(long from, long to) {
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < overlay.size(); i++) {
            Record record = overlay.get(i);
            if (record.state != State.CACHED || record.end() <= from || record.offset >= to
                    || record.length == 0) {
                continue;
            }
            List<Record> pieces = new ArrayList<>(3);
            if (record.offset < from) {
                pieces.add(record.slice(record.offset, from));
            }
            Record inside = record.slice(from, to);
            inside.state = State.WRITING_BACK;
            pieces.add(inside);
            if (record.end() > to) {
                pieces.add(record.slice(to, record.end()));
            }
            overlay.remove(i);
            overlay.addAll(i, pieces);
            i += pieces.size() - 1;
            batch.add(inside);
            dirtyBytes -= inside.dataBytes();
            dirtyRecords += pieces.size() - 2;
        }
        // zero-length records carry nothing; drop them from the cache now
        overlay.removeIf(record -> {
            if (record.length == 0 && record.state == State.CACHED) {
                dirtyRecords--;
                return true;
            }
            return false;
        });
        return batch;
    }

    /** Applies {@code batch} after every earlier writeback, flushes, then marks it durable. */
    private CompletableFuture<IoResult> writeBack(List<Record> batch) {
        CompletableFuture<Void> previous;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        synchronized (this) {
            previous = writebackTail;
            writebackTail = mine;
        }
        return previous.thenCompose(ignored -> applyInOrder(batch, 0))
                .thenCompose(result -> result.ok() ? inner.flush() : IoFutures.of(result))
                .handle((result, failure) -> {
                    synchronized (this) {
                        durableGeneration++;
                        for (Record record : batch) {
                            record.state = State.DURABLE;
                            record.durableGeneration = durableGeneration;
                        }
                        forgetDurableRecords();
                    }
                    mine.complete(null);
                    return failure != null
                            ? IoResult.failed(IoError.EIO, 0, 0, "writeback failed: " + failure) : result;
                });
    }

    /** Writes records to the device below one after another, stopping at the first error. */
    private CompletableFuture<IoResult> applyInOrder(List<Record> records, int index) {
        CompletableFuture<IoResult> step = IoFutures.OK;
        for (int i = index; i < records.size(); i++) {
            Record record = records.get(i);
            CompletableFuture<IoResult> write = record.data == null
                    ? inner.writeZeroes(record.offset, record.length, 0, record.mayPunchHole, false)
                    : inner.write(record.offset, Unpooled.wrappedBuffer(record.data, record.dataOffset,
                            (int) record.length), 0);
            if (!write.isDone()) {
                int next = i + 1;
                return write.thenCompose(result -> result.ok() ? applyInOrder(records, next) : IoFutures.of(result));
            }
            step = write;
            if (!write.join().ok()) {
                return write;
            }
        }
        return step;
    }

    /** Drops durable records no in-flight read can still need (the device below has their data). */
    private void forgetDurableRecords() {
        long oldestReadStart = readsByStartGeneration.isEmpty() ? Long.MAX_VALUE : readsByStartGeneration.firstKey();
        overlay.removeIf(record -> record.state == State.DURABLE && record.durableGeneration <= oldestReadStart);
    }

    /** Whether cached records together cover every byte of the range. */
    private boolean cacheCovers(long offsetBytes, long lengthBytes) {
        long covered = offsetBytes;
        long end = offsetBytes + lengthBytes;
        boolean progress = true;
        while (covered < end && progress) {
            progress = false;
            for (Record record : overlay) {
                if (record.offset <= covered && record.end() > covered) {
                    covered = record.end();
                    progress = true;
                }
            }
        }
        return covered >= end;
    }

    private void overlayCachedData(long offsetBytes, int lengthBytes, ByteBuf target, int targetIndex) {
        long end = offsetBytes + lengthBytes;
        for (Record record : overlay) {
            long start = Math.max(offsetBytes, record.offset);
            long stop = Math.min(end, record.end());
            if (start >= stop) {
                continue;
            }
            int at = targetIndex + (int) (start - offsetBytes);
            if (record.data == null) {
                target.setZero(at, (int) (stop - start));
            } else {
                int from = record.dataOffset + (int) (start - record.offset);
                target.setBytes(at, record.data, from, (int) (stop - start));
            }
        }
    }

    /** Reports every part of {@code extents} that the cache covers as data (hole and zero cleared). */
    static List<AllocationExtent> markCachedAsData(List<AllocationExtent> extents, List<long[]> cachedRanges) {
        List<AllocationExtent> out = new ArrayList<>();
        for (AllocationExtent extent : extents) {
            long position = extent.offsetBytes();
            while (position < extent.endBytes()) {
                long coveredUntil = position;
                long nextCovered = extent.endBytes();
                for (long[] range : cachedRanges) {
                    if (range[0] <= position && range[1] > position) {
                        coveredUntil = Math.max(coveredUntil, Math.min(range[1], extent.endBytes()));
                    } else if (range[0] > position) {
                        nextCovered = Math.min(nextCovered, range[0]);
                    }
                }
                if (coveredUntil > position) {
                    append(out, new AllocationExtent(position, coveredUntil - position, false, false));
                    position = coveredUntil;
                } else {
                    append(out, new AllocationExtent(position, nextCovered - position, extent.hole(), extent.zero()));
                    position = nextCovered;
                }
            }
        }
        return out;
    }

    private static void append(List<AllocationExtent> out, AllocationExtent extent) {
        if (!out.isEmpty()) {
            AllocationExtent last = out.get(out.size() - 1);
            boolean sameStatus = last.hole() == extent.hole() && last.zero() == extent.zero();
            if (sameStatus && last.endBytes() == extent.offsetBytes()) {
                out.set(out.size() - 1, new AllocationExtent(last.offsetBytes(),
                        last.lengthBytes() + extent.lengthBytes(), last.hole(), last.zero()));
                return;
            }
        }
        out.add(extent);
    }

    /** Chooses the survivors of a power cut; see the class comment for the model. */
    static final class PowerCutPlanner {
        private PowerCutPlanner() {
        }

        static List<Record> survivors(List<Record> cached, long sizeBytes, PowerCutModel model,
                                      SplittableRandom random) {
            List<Record> survivors = new ArrayList<>();
            if (cached.isEmpty() || model.survivalProbability() == 0) {
                return survivors;
            }
            TreeSet<Long> bounds = new TreeSet<>();
            for (Record record : cached) {
                bounds.add(sectorStart(record.offset));
                bounds.add(sectorEnd(record.end(), sizeBytes));
            }
            Long runStart = bounds.first();
            for (Long runEnd = bounds.higher(runStart); runEnd != null;
                    runStart = runEnd, runEnd = bounds.higher(runEnd)) {
                List<Record> touching = new ArrayList<>();
                for (Record record : cached) {
                    if (sectorStart(record.offset) <= runStart && sectorEnd(record.end(), sizeBytes) >= runEnd) {
                        touching.add(record);
                    }
                }
                if (!touching.isEmpty()) {
                    planRun(runStart, runEnd, touching, model, random, survivors);
                }
            }
            return survivors;
        }

        private static void planRun(long runStart, long runEnd, List<Record> touching, PowerCutModel model,
                                    SplittableRandom random, List<Record> survivors) {
            long sectors = (runEnd - runStart + SECTOR_BYTES - 1) / SECTOR_BYTES;
            TreeSet<Long> cuts = new TreeSet<>();
            if (sectors > 1 && model.maxTearsPerRun() > 0) {
                int tears = random.nextInt((int) Math.min(model.maxTearsPerRun(), sectors - 1) + 1);
                for (int i = 0; i < tears; i++) {
                    cuts.add(runStart + (1 + random.nextLong(sectors - 1)) * SECTOR_BYTES);
                }
            }
            cuts.add(runEnd);
            long pieceStart = runStart;
            for (long pieceEnd : cuts) {
                if (random.nextDouble() < model.survivalProbability()) {
                    int keep = 1 + random.nextInt(touching.size());
                    for (int i = 0; i < keep; i++) {
                        Record record = touching.get(i);
                        if (record.offset < pieceEnd && record.end() > pieceStart) {
                            survivors.add(record.slice(pieceStart, pieceEnd));
                        }
                    }
                }
                pieceStart = pieceEnd;
            }
        }

        private static long sectorStart(long offset) {
            return offset / SECTOR_BYTES * SECTOR_BYTES;
        }

        private static long sectorEnd(long end, long sizeBytes) {
            return Math.min(sizeBytes, (end + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES);
        }
    }
}
