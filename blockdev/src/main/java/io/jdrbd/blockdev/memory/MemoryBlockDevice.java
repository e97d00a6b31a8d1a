package io.jdrbd.blockdev.memory;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.RequestCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sparse, off-heap memory disk: the NBD performance baseline and the pristine disk of tests.
 *
 * <p>Storage is allocated lazily in {@value #CHUNK_SIZE}-byte chunks, found through a two-level
 * table (a directory of pages of {@value #CHUNKS_PER_PAGE} chunk slots), so a 1 TiB device holding
 * 1 GiB of data uses about 1 GiB plus a few KiB of table. Never-written chunks and chunks freed by
 * trim read as zeroes and are reported as holes; allocated chunks whose queried part is all zeroes
 * (a trim that covered only part of a chunk) are reported, per 4 KiB, as zero but not hole.
 *
 * <p>Every operation runs in the caller's thread and returns an already-completed future (the
 * shared {@link IoFutures#OK} on success, so reads and writes allocate nothing once their chunks
 * exist). Concurrent requests on non-overlapping ranges are safe, also within one chunk. Overlapping
 * concurrent requests get some interleaving of their effects, but never corrupt memory: chunks are
 * direct {@link ByteBuffer}s that the garbage collector frees only when no request can still reach
 * them, so a read racing a trim never touches released memory.
 *
 * <p>Chunk memory counts against the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize});
 * when it is exhausted a write completes with {@link IoError#ENOSPC}.
 */
public final class MemoryBlockDevice implements BlockDevice {

    public static final int CHUNK_SHIFT = 16;
    public static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int PAGE_SHIFT = 12;
    static final int CHUNKS_PER_PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = CHUNKS_PER_PAGE - 1;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    /** 1 PiB: the directory for it is 4 Mi references (16-32 MiB of heap), still small enough. */
    public static final long MAX_SIZE_BYTES = 1L << 50;
    /** Bound on the extents of one allocation answer, so a fragmented device answers in pieces. */
    static final int MAX_EXTENTS_PER_ANSWER = 1024;
    /**
     * Allocated bytes one allocation query inspects for zeroes (trims and zero writes that only
     * partly cover a chunk leave it allocated but zero); beyond it, allocated chunks count as data.
     */
    static final long ZERO_SCAN_BUDGET_BYTES = 64L << 20;
    private static final int ZERO_SCAN_BLOCK = 4096;
    private static final int HOLE = 0;
    private static final int ZERO = 1;
    private static final int DATA = 2;

    private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(ByteBuf[][].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(ByteBuf[].class);

    private static final Capabilities CAPABILITIES =
            new Capabilities(false, true, true, true, true, true, true, true);

    private final long sizeBytes;
    private final int alignment;
    private final ByteBuf[][] directory;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private volatile boolean closed;

    /** A byte-granular device of {@code sizeBytes}. */
    public MemoryBlockDevice(long sizeBytes) {
        this(sizeBytes, 1);
    }

    /**
     * @param sizeBytes device size, at most {@link #MAX_SIZE_BYTES}
     * @param alignment required alignment of every request (a power of two, at most 4096); 512 or
     *                  4096 model a real disk for tests, 1 accepts any byte range
     */
    public MemoryBlockDevice(long sizeBytes, int alignment) {
        if (sizeBytes < 0 || sizeBytes > MAX_SIZE_BYTES) {
            throw new IllegalArgumentException("memory device size " + sizeBytes + " outside [0, "
                    + MAX_SIZE_BYTES + "]");
        }
        if (alignment < 1 || alignment > 4096 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two in [1, 4096]");
        }
        this.sizeBytes = sizeBytes;
        this.alignment = alignment;
        long chunks = (sizeBytes + CHUNK_MASK) >>> CHUNK_SHIFT;
        this.directory = new ByteBuf[(int) ((chunks + PAGE_MASK) >>> PAGE_SHIFT)][];
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public int logicalBlockSize() {
        return Math.max(512, alignment);
    }

    @Override
    public int physicalBlockSize() {
        return 4096;
    }

    @Override
    public int requiredAlignment() {
        return alignment;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Bytes of chunk memory currently held (a multiple of {@link #CHUNK_SIZE}). */
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        if (target.maxWritableBytes() < lengthBytes) {
            return IoFutures.failed(IoError.EINVAL, offsetBytes, lengthBytes, "target buffer too small");
        }
        target.ensureWritable(lengthBytes);
        int targetIndex = target.writerIndex();
        long position = offsetBytes;
        int done = 0;
        while (done < lengthBytes) {
            int inChunk = (int) (position & CHUNK_MASK);
            int step = Math.min(CHUNK_SIZE - inChunk, lengthBytes - done);
            ByteBuf chunk = chunk(position >>> CHUNK_SHIFT);
            if (chunk == null) {
                target.setZero(targetIndex + done, step);
            } else {
                chunk.getBytes(inChunk, target, targetIndex + done, step);
            }
            done += step;
            position += step;
        }
        target.writerIndex(targetIndex + lengthBytes);
        return IoFutures.OK;
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int lengthBytes = data.readableBytes();
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        int sourceIndex = data.readerIndex();
        long position = offsetBytes;
        int done = 0;
        while (done < lengthBytes) {
            int inChunk = (int) (position & CHUNK_MASK);
            int step = Math.min(CHUNK_SIZE - inChunk, lengthBytes - done);
            ByteBuf chunk = chunkForWrite(position >>> CHUNK_SHIFT);
            if (chunk == null) {
                return IoFutures.failed(IoError.ENOSPC, position, lengthBytes - done,
                        "memory device: direct memory exhausted (raise -XX:MaxDirectMemorySize)");
            }
            data.getBytes(sourceIndex + done, chunk, inChunk, step);
            done += step;
            position += step;
        }
        return IoFutures.OK;
    }

    /** Memory is as durable as it gets; flush has nothing to do. */
    @Override
    public CompletableFuture<IoResult> flush() {
        if (closed) {
            return closedResult(0, 0);
        }
        return IoFutures.OK;
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        zeroRange(offsetBytes, lengthBytes, true);
        return IoFutures.OK;
    }

    /**
     * Always fast. With {@code mayPunchHole}, whole chunks in the range are freed; without it they
     * are zeroed in place so the memory stays reserved (NBD's NO_HOLE promise that a later write
     * will not fail for lack of space holds for chunks already allocated).
     */
    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        zeroRange(offsetBytes, lengthBytes, mayPunchHole);
        return IoFutures.OK;
    }

    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        return rejected != null ? IoFutures.of(rejected) : IoFutures.OK;
    }

    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null && lengthBytes == 0) {
            rejected = IoResult.failed(IoError.EINVAL, offsetBytes, 0, "allocation query of length 0");
        }
        if (rejected != null) {
            return CompletableFuture.completedFuture(AllocationResult.failed(rejected));
        }
        List<AllocationExtent> extents = new ArrayList<>();
        long end = offsetBytes + lengthBytes;
        long scanBudget = ZERO_SCAN_BUDGET_BYTES;
        long runStart = offsetBytes;
        int runStatus = -1;
        long position = offsetBytes;
        while (position < end) {
            long chunkIndex = position >>> CHUNK_SHIFT;
            long next = Math.min(end, (chunkIndex + 1) << CHUNK_SHIFT);
            int status;
            ByteBuf chunk;
            if (pageOf(chunkIndex) == null) {
                // a whole missing page is one hole: skip its 4096 chunks at once
                next = Math.min(end, ((chunkIndex | PAGE_MASK) + 1) << CHUNK_SHIFT);
                status = HOLE;
            } else if ((chunk = chunk(chunkIndex)) == null) {
                status = HOLE;
            } else if (scanBudget > 0) {
                // inspect 4 KiB at a time, so a trimmed block inside a chunk shows as zero
                next = Math.min(end, (position | (ZERO_SCAN_BLOCK - 1)) + 1);
                int length = (int) (next - position);
                scanBudget -= length;
                status = isZero(chunk, (int) (position & CHUNK_MASK), length) ? ZERO : DATA;
            } else {
                status = DATA;
            }
            if (status != runStatus) {
                if (runStatus >= 0) {
                    extents.add(extent(runStart, position - runStart, runStatus));
                    if (extents.size() == MAX_EXTENTS_PER_ANSWER) {
                        return CompletableFuture.completedFuture(AllocationResult.ok(extents));
                    }
                }
                runStart = position;
                runStatus = status;
            }
            position = next;
        }
        extents.add(extent(runStart, end - runStart, runStatus));
        return CompletableFuture.completedFuture(AllocationResult.ok(extents));
    }

    private static AllocationExtent extent(long offsetBytes, long lengthBytes, int status) {
        return new AllocationExtent(offsetBytes, lengthBytes, status == HOLE, status != DATA);
    }

    private static boolean isZero(ByteBuf chunk, int from, int length) {
        int index = from;
        int end = from + length;
        for (; index + Long.BYTES <= end; index += Long.BYTES) {
            if (chunk.getLong(index) != 0) {
                return false;
            }
        }
        for (; index < end; index++) {
            if (chunk.getByte(index) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Drops every chunk; the garbage collector returns their memory. */
    @Override
    public void close() {
        closed = true;
        for (int page = 0; page < directory.length; page++) {
            PAGES.setRelease(directory, page, (ByteBuf[]) null);
        }
        allocatedBytes.set(0);
    }

    private IoResult check(long offsetBytes, long lengthBytes) {
        if (closed) {
            return IoResult.failed(IoError.ESHUTDOWN, offsetBytes, lengthBytes, "memory device is closed");
        }
        return RequestCheck.range(offsetBytes, lengthBytes, sizeBytes, alignment);
    }

    private static CompletableFuture<IoResult> closedResult(long offsetBytes, long lengthBytes) {
        return IoFutures.failed(IoError.ESHUTDOWN, offsetBytes, lengthBytes, "memory device is closed");
    }

    /** Zeroes partial chunks in place and frees (or, without {@code free}, zeroes) whole ones. */
    private void zeroRange(long offsetBytes, long lengthBytes, boolean free) {
        long position = offsetBytes;
        long end = offsetBytes + lengthBytes;
        while (position < end) {
            long chunkIndex = position >>> CHUNK_SHIFT;
            int inChunk = (int) (position & CHUNK_MASK);
            int step = (int) Math.min(CHUNK_SIZE - inChunk, end - position);
            ByteBuf[] page = pageOf(chunkIndex);
            if (page == null) {
                position = Math.min(end, ((chunkIndex | PAGE_MASK) + 1) << CHUNK_SHIFT);
                continue;
            }
            int slot = (int) (chunkIndex & PAGE_MASK);
            ByteBuf chunk = (ByteBuf) CHUNKS.getAcquire(page, slot);
            if (chunk != null) {
                if (step == CHUNK_SIZE && free) {
                    if (CHUNKS.compareAndSet(page, slot, chunk, (ByteBuf) null)) {
                        allocatedBytes.addAndGet(-CHUNK_SIZE);
                    }
                } else {
                    chunk.setZero(inChunk, step);
                }
            }
            position += step;
        }
    }

    private ByteBuf[] pageOf(long chunkIndex) {
        return (ByteBuf[]) PAGES.getAcquire(directory, (int) (chunkIndex >>> PAGE_SHIFT));
    }

    private ByteBuf chunk(long chunkIndex) {
        ByteBuf[] page = pageOf(chunkIndex);
        return page == null ? null : (ByteBuf) CHUNKS.getAcquire(page, (int) (chunkIndex & PAGE_MASK));
    }

    /** The chunk, allocated (zero-filled) if missing; {@code null} when direct memory is exhausted. */
    private ByteBuf chunkForWrite(long chunkIndex) {
        int pageIndex = (int) (chunkIndex >>> PAGE_SHIFT);
        ByteBuf[] page = (ByteBuf[]) PAGES.getAcquire(directory, pageIndex);
        if (page == null) {
            ByteBuf[] fresh = new ByteBuf[CHUNKS_PER_PAGE];
            ByteBuf[] witness = (ByteBuf[]) PAGES.compareAndExchange(directory, pageIndex, (ByteBuf[]) null, fresh);
            page = witness == null ? fresh : witness;
        }
        int slot = (int) (chunkIndex & PAGE_MASK);
        ByteBuf chunk = (ByteBuf) CHUNKS.getAcquire(page, slot);
        if (chunk != null) {
            return chunk;
        }
        ByteBuf fresh;
        try {
            // allocateDirect zero-fills; the wrapper does not own the memory, the GC frees it
            fresh = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(CHUNK_SIZE));
        } catch (OutOfMemoryError e) {
            return null;
        }
        ByteBuf witness = (ByteBuf) CHUNKS.compareAndExchange(page, slot, (ByteBuf) null, fresh);
        if (witness != null) {
            return witness;
        }
        allocatedBytes.addAndGet(CHUNK_SIZE);
        return fresh;
    }
}
