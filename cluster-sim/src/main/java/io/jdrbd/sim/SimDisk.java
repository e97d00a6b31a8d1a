package io.jdrbd.sim;

import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A deterministic in-memory disk of one simulated node. Two views of the medium: {@code current}
 * (what reads see: every completed write) and {@code durable} (what survives a power cut). With a
 * volatile cache, a completed write is only in {@code current} until a flush (or FUA) makes its
 * pages durable; at a power cut each unflushed page survives, is lost, or is torn at sector
 * granularity, as the seed decides. Without one, completed writes are durable at once.
 *
 * <p>Every operation completes later, as a scheduled event with a seeded latency (so completions
 * reorder like a real device's), never inside the call. Injected faults: EIO on ranges or at a
 * random rate, stalls, and power cuts that drop in-flight I/O.
 *
 * <p>Buffers: {@link #write} does not take ownership of {@code data}; the caller keeps it readable
 * and unchanged until the completion runs (the data is taken at completion time). {@link #read}
 * fills {@code target} at completion time.
 */
public final class SimDisk {
    public static final int SECTOR_BYTES = 512;
    public static final int PAGE_BYTES = 4096;
    private static final int SECTORS_PER_PAGE = PAGE_BYTES / SECTOR_BYTES;

    /** Called when an I/O completes, from a scheduled event. */
    @FunctionalInterface
    public interface Completion {
        void done(IoResult result);
    }

    /** Which operations an injected error range affects. */
    public enum ErrorKind { READ, WRITE, ANY }

    private record ErrorRange(ErrorKind kind, long offsetBytes, long lengthBytes) { }

    private final Scheduler scheduler;
    private final SimRandom random;
    private final Trace trace;
    private final int node;
    private final String name;
    private final long sizeBytes;
    private final DiskOptions options;
    private final byte[][] current;
    private final byte[][] durable;
    private final BitSet dirtyPages = new BitSet();
    private final List<ErrorRange> errorRanges = new ArrayList<>();
    private final List<Pending> inFlight = new ArrayList<>();
    private final List<Pending> stalledCompletions = new ArrayList<>();
    private boolean stalled;
    private long operations;

    public SimDisk(Scheduler scheduler, SimRandom random, Trace trace, int node, String name, long sizeBytes,
                   DiskOptions options) {
        if (sizeBytes <= 0 || sizeBytes % PAGE_BYTES != 0) {
            throw new IllegalArgumentException("disk size must be a positive multiple of 4096: " + sizeBytes);
        }
        if (sizeBytes / PAGE_BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("disk too large for the simulator: " + sizeBytes);
        }
        this.scheduler = scheduler;
        this.random = random;
        this.trace = trace;
        this.node = node;
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.options = options;
        this.current = new byte[(int) (sizeBytes / PAGE_BYTES)][];
        this.durable = new byte[current.length][];
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public String name() {
        return name;
    }

    public DiskOptions options() {
        return options;
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public long operations() {
        return operations;
    }

    /** An operation between submit and completion. */
    private final class Pending {
        final long id;
        final Runnable complete;
        Scheduler.Event event;
        final long offsetBytes;
        final ByteBuf writeData;

        Pending(long id, long offsetBytes, ByteBuf writeData, Runnable complete) {
            this.id = id;
            this.offsetBytes = offsetBytes;
            this.writeData = writeData;
            this.complete = complete;
        }

        void fire() {
            inFlight.remove(this);
            if (stalled) {
                stalledCompletions.add(this);
                return;
            }
            complete.run();
        }
    }

    public void write(long offsetBytes, ByteBuf data, int flags, Completion completion) {
        int length = data.readableBytes();
        boolean fua = (flags & io.jdrbd.blockdev.BlockDevice.FUA) != 0;
        IoResult invalid = checkRange(offsetBytes, length);
        submit(offsetBytes, length, invalid == null ? data : null, 'W', () -> {
            IoResult result = invalid != null ? invalid : injectedError(ErrorKind.WRITE, offsetBytes, length);
            if (result.ok()) {
                applyWrite(offsetBytes, data, fua || !options.volatileCache());
            }
            finish('W', offsetBytes, length, result, completion);
        });
    }

    public void read(long offsetBytes, int length, ByteBuf target, Completion completion) {
        IoResult invalid = checkRange(offsetBytes, length);
        submit(offsetBytes, length, null, 'R', () -> {
            IoResult result = invalid != null ? invalid : injectedError(ErrorKind.READ, offsetBytes, length);
            if (result.ok()) {
                copyOut(current, offsetBytes, length, target);
            }
            finish('R', offsetBytes, length, result, completion);
        });
    }

    /** Makes every write completed before this call durable. */
    public void flush(Completion completion) {
        BitSet toPersist = (BitSet) dirtyPages.clone();
        submit(0, 0, null, 'F', () -> {
            for (int page = toPersist.nextSetBit(0); page >= 0; page = toPersist.nextSetBit(page + 1)) {
                persistPage(page);
            }
            finish('F', 0, 0, IoResult.OK, completion);
        });
        trace.event(TraceKind.DISK_SUBMIT, scheduler.nowNs(), node, 'F', 0);
    }

    /** Zeroes a range (trim and write-zeroes of the simulated device both read back as zeroes). */
    public void zero(long offsetBytes, long lengthBytes, int flags, Completion completion) {
        IoResult invalid = checkRange(offsetBytes, lengthBytes);
        boolean fua = (flags & io.jdrbd.blockdev.BlockDevice.FUA) != 0;
        submit(offsetBytes, lengthBytes, null, 'Z', () -> {
            IoResult result = invalid != null ? invalid : injectedError(ErrorKind.WRITE, offsetBytes, lengthBytes);
            if (result.ok()) {
                applyZero(offsetBytes, lengthBytes, fua || !options.volatileCache());
            }
            finish('Z', offsetBytes, lengthBytes, result, completion);
        });
    }

    private void submit(long offsetBytes, long lengthBytes, ByteBuf writeData, char op, Runnable body) {
        operations++;
        long delay = random.latencyNs(options.latencyMinNs(), options.latencyTypicalNs(),
                options.latencyTailPerMillion(), options.latencyTailNs());
        if (op == 'F') {
            delay += options.flushLatencyNs();
        }
        Pending pending = new Pending(operations, offsetBytes, writeData, body);
        inFlight.add(pending);
        pending.event = scheduler.after(delay, pending::fire);
        if (op != 'F') {
            trace.event(TraceKind.DISK_SUBMIT, scheduler.nowNs(), node, op, offsetBytes ^ (lengthBytes << 40));
        }
    }

    private void finish(char op, long offsetBytes, long lengthBytes, IoResult result, Completion completion) {
        trace.event(TraceKind.DISK_COMPLETE, scheduler.nowNs(), node, op * 31L + (result.ok() ? 0 : 1),
                offsetBytes ^ (lengthBytes << 40));
        completion.done(result);
    }

    private IoResult checkRange(long offsetBytes, long lengthBytes) {
        if (offsetBytes < 0 || lengthBytes < 0 || offsetBytes + lengthBytes > sizeBytes) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes,
                    "outside the " + sizeBytes + "-byte simulated disk " + name);
        }
        return null;
    }

    private IoResult injectedError(ErrorKind kind, long offsetBytes, long lengthBytes) {
        for (ErrorRange range : errorRanges) {
            boolean kindMatches = range.kind == ErrorKind.ANY || range.kind == kind;
            boolean overlaps = offsetBytes < range.offsetBytes + range.lengthBytes
                    && range.offsetBytes < offsetBytes + lengthBytes;
            if (kindMatches && overlaps) {
                return IoResult.failed(IoError.EIO, offsetBytes, lengthBytes, "injected error range on " + name);
            }
        }
        int rate = kind == ErrorKind.READ ? options.readErrorPerMillion() : options.writeErrorPerMillion();
        if (random.chance(rate)) {
            return IoResult.failed(IoError.EIO, offsetBytes, lengthBytes, "injected random error on " + name);
        }
        return IoResult.OK;
    }

    private void applyWrite(long offsetBytes, ByteBuf data, boolean durableNow) {
        int length = data.readableBytes();
        int done = 0;
        while (done < length) {
            long position = offsetBytes + done;
            int page = (int) (position / PAGE_BYTES);
            int inPage = (int) (position % PAGE_BYTES);
            int count = Math.min(PAGE_BYTES - inPage, length - done);
            byte[] target = pageForWrite(page);
            data.getBytes(data.readerIndex() + done, target, inPage, count);
            markWritten(page, durableNow);
            done += count;
        }
    }

    private void applyZero(long offsetBytes, long lengthBytes, boolean durableNow) {
        long done = 0;
        while (done < lengthBytes) {
            long position = offsetBytes + done;
            int page = (int) (position / PAGE_BYTES);
            int inPage = (int) (position % PAGE_BYTES);
            int count = (int) Math.min(PAGE_BYTES - inPage, lengthBytes - done);
            if (current[page] != null) {
                java.util.Arrays.fill(current[page], inPage, inPage + count, (byte) 0);
                markWritten(page, durableNow);
            }
            done += count;
        }
    }

    private byte[] pageForWrite(int page) {
        byte[] bytes = current[page];
        if (bytes == null) {
            bytes = new byte[PAGE_BYTES];
            current[page] = bytes;
        }
        return bytes;
    }

    private void markWritten(int page, boolean durableNow) {
        if (durableNow) {
            persistPage(page);
        } else {
            dirtyPages.set(page);
        }
    }

    private void persistPage(int page) {
        dirtyPages.clear(page);
        byte[] bytes = current[page];
        if (bytes == null) {
            durable[page] = null;
        } else if (durable[page] == null) {
            durable[page] = bytes.clone();
        } else {
            System.arraycopy(bytes, 0, durable[page], 0, PAGE_BYTES);
        }
    }

    private void copyOut(byte[][] pages, long offsetBytes, long lengthBytes, ByteBuf target) {
        long done = 0;
        while (done < lengthBytes) {
            long position = offsetBytes + done;
            int page = (int) (position / PAGE_BYTES);
            int inPage = (int) (position % PAGE_BYTES);
            int count = (int) Math.min(PAGE_BYTES - inPage, lengthBytes - done);
            byte[] bytes = pages[page];
            if (bytes == null) {
                target.writeZero(count);
            } else {
                target.writeBytes(bytes, inPage, count);
            }
            done += count;
        }
    }

    // ---- faults ----------------------------------------------------------------------------

    /** Fault: operations of {@code kind} overlapping the range fail with EIO until cleared. */
    public void failRange(ErrorKind kind, long offsetBytes, long lengthBytes) {
        errorRanges.add(new ErrorRange(kind, offsetBytes, lengthBytes));
        trace.event(TraceKind.FAULT, scheduler.nowNs(), node, "disk " + name + " EIO " + kind + " "
                + offsetBytes + "+" + lengthBytes);
    }

    public void clearErrors() {
        errorRanges.clear();
    }

    /** Fault: completions are held until {@link #resume} (a hung backing device). */
    public void stall() {
        stalled = true;
        trace.event(TraceKind.FAULT, scheduler.nowNs(), node, "disk " + name + " stall");
    }

    public void resume() {
        stalled = false;
        List<Pending> held = new ArrayList<>(stalledCompletions);
        stalledCompletions.clear();
        for (Pending pending : held) {
            scheduler.after(0, pending.complete);
        }
    }

    /**
     * Fault: power cut. Pending completions never arrive; each unflushed page reaches the medium,
     * is lost, or is torn sector by sector, and each in-flight write may land (torn) or not.
     * Afterwards reads see exactly the durable medium.
     */
    public void powerCut() {
        trace.event(TraceKind.DISK_POWER_CUT, scheduler.nowNs(), node, dirtyPages.cardinality(), inFlight.size());
        for (Pending pending : inFlight) {
            pending.event.cancel();
            if (pending.writeData != null && random.chance(options.survivePerMillion())) {
                landTorn(pending.offsetBytes, pending.writeData);
            }
        }
        inFlight.clear();
        stalledCompletions.clear();
        stalled = false;
        for (int page = dirtyPages.nextSetBit(0); page >= 0; page = dirtyPages.nextSetBit(page + 1)) {
            if (random.chance(options.survivePerMillion())) {
                if (random.chance(options.tornPerMillion())) {
                    tearPage(page);
                } else {
                    persistPage(page);
                }
            }
        }
        dirtyPages.clear();
        for (int page = 0; page < current.length; page++) {
            current[page] = durable[page] == null ? null : durable[page].clone();
        }
    }

    private void tearPage(int page) {
        byte[] target = durable[page] == null ? new byte[PAGE_BYTES] : durable[page];
        byte[] source = current[page] == null ? new byte[PAGE_BYTES] : current[page];
        for (int sector = 0; sector < SECTORS_PER_PAGE; sector++) {
            if (random.nextBoolean()) {
                System.arraycopy(source, sector * SECTOR_BYTES, target, sector * SECTOR_BYTES, SECTOR_BYTES);
            }
        }
        durable[page] = target;
    }

    /** An in-flight write lands on the medium, each sector independently (a torn write). */
    private void landTorn(long offsetBytes, ByteBuf data) {
        int length = data.readableBytes();
        for (int done = 0; done < length; done += SECTOR_BYTES) {
            if (random.nextBoolean()) {
                continue;
            }
            long position = offsetBytes + done;
            int page = (int) (position / PAGE_BYTES);
            int inPage = (int) (position % PAGE_BYTES);
            int count = Math.min(Math.min(SECTOR_BYTES, length - done), PAGE_BYTES - inPage);
            if (durable[page] == null) {
                durable[page] = new byte[PAGE_BYTES];
            }
            data.getBytes(data.readerIndex() + done, durable[page], inPage, count);
        }
    }

    // ---- direct access behind the replication layer (fault hooks and checkers) -------------------

    /** The bytes reads would see now (including the volatile cache), without any simulated delay. */
    public byte[] peek(long offsetBytes, int lengthBytes) {
        return copyRange(current, offsetBytes, lengthBytes);
    }

    /** The bytes a power cut now would keep at least. */
    public byte[] peekDurable(long offsetBytes, int lengthBytes) {
        return copyRange(durable, offsetBytes, lengthBytes);
    }

    /** The 4 KiB page at {@code page} as reads see it, or null when never written (zeroes). */
    public byte[] currentPage(int page) {
        return current[page];
    }

    /** Writes straight to the medium, durable at once, behind the replication layer. */
    public void poke(long offsetBytes, byte[] bytes) {
        IoResult invalid = checkRange(offsetBytes, bytes.length);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid.toString());
        }
        trace.event(TraceKind.FAULT, scheduler.nowNs(), node, "disk " + name + " poke " + offsetBytes
                + "+" + bytes.length);
        applyWrite(offsetBytes, io.netty.buffer.Unpooled.wrappedBuffer(bytes), true);
    }

    private byte[] copyRange(byte[][] pages, long offsetBytes, int lengthBytes) {
        IoResult invalid = checkRange(offsetBytes, lengthBytes);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid.toString());
        }
        byte[] out = new byte[lengthBytes];
        int done = 0;
        while (done < lengthBytes) {
            long position = offsetBytes + done;
            int page = (int) (position / PAGE_BYTES);
            int inPage = (int) (position % PAGE_BYTES);
            int count = Math.min(PAGE_BYTES - inPage, lengthBytes - done);
            if (pages[page] != null) {
                System.arraycopy(pages[page], inPage, out, done, count);
            }
            done += count;
        }
        return out;
    }

    /** True when the two disks read the same in {@code [0, lengthBytes)}; used by the convergence check. */
    public boolean sameContent(SimDisk other, long lengthBytes) {
        int pages = (int) (lengthBytes / PAGE_BYTES);
        for (int page = 0; page < pages; page++) {
            if (!java.util.Arrays.equals(orZero(current[page]), orZero(other.current[page]))) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first 4 KiB page where the two disks differ, or -1. */
    public long firstDifferentPage(SimDisk other, long lengthBytes) {
        int pages = (int) (lengthBytes / PAGE_BYTES);
        for (int page = 0; page < pages; page++) {
            if (!java.util.Arrays.equals(orZero(current[page]), orZero(other.current[page]))) {
                return page;
            }
        }
        return -1;
    }

    private static final byte[] ZERO_PAGE = new byte[PAGE_BYTES];

    private static byte[] orZero(byte[] page) {
        return page == null ? ZERO_PAGE : page;
    }
}
