package io.jdrbd.nbd;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small heap-backed device for tests: tracks which 4 KiB blocks hold data (for block status),
 * completes synchronously or through a given executor, and can fail chosen operations.
 */
final class TestDevice implements BlockDevice {
    static final int BLOCK = 4096;

    private final byte[] data;
    private final boolean[] allocated;
    private final Capabilities capabilities;
    private volatile Executor completer;
    private volatile long failReadsAtOffset = -1;
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger fuaWrites = new AtomicInteger();
    final AtomicInteger caches = new AtomicInteger();

    TestDevice(int sizeBytes) {
        this(sizeBytes, new Capabilities(false, true, true, true, true, true, false, true));
    }

    TestDevice(int sizeBytes, Capabilities capabilities) {
        this.data = new byte[sizeBytes];
        this.allocated = new boolean[(sizeBytes + BLOCK - 1) / BLOCK];
        this.capabilities = capabilities;
    }

    /** Completes every later operation through {@code executor} (null: synchronously). */
    void completeOn(Executor executor) {
        this.completer = executor;
    }

    void failReadsAt(long offset) {
        failReadsAtOffset = offset;
    }

    synchronized byte[] snapshot(int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        return copy;
    }

    synchronized void fill(int offset, byte[] bytes) {
        System.arraycopy(bytes, 0, data, offset, bytes.length);
        markAllocated(offset, bytes.length, true);
    }

    @Override
    public long sizeBytes() {
        return data.length;
    }

    @Override
    public int logicalBlockSize() {
        return 512;
    }

    @Override
    public int physicalBlockSize() {
        return BLOCK;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        IoResult result;
        synchronized (this) {
            long failAt = failReadsAtOffset;
            if (failAt >= offsetBytes && failAt < offsetBytes + lengthBytes) {
                result = IoResult.failed(IoError.EIO, failAt, 512, "injected read error");
            } else {
                target.writeBytes(data, (int) offsetBytes, lengthBytes);
                result = IoResult.OK;
            }
        }
        return complete(result);
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf payload, int flags) {
        synchronized (this) {
            int length = payload.readableBytes();
            payload.getBytes(payload.readerIndex(), data, (int) offsetBytes, length);
            markAllocated(offsetBytes, length, true);
        }
        if ((flags & FUA) != 0) {
            fuaWrites.incrementAndGet();
        }
        return complete(IoResult.OK);
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        flushes.incrementAndGet();
        return complete(IoResult.OK);
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        zero(offsetBytes, lengthBytes, true);
        return complete(IoResult.OK);
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        zero(offsetBytes, lengthBytes, mayPunchHole);
        return complete(IoResult.OK);
    }

    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        caches.incrementAndGet();
        return complete(IoResult.OK);
    }

    @Override
    public synchronized CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        List<AllocationExtent> extents = new ArrayList<>();
        long position = offsetBytes;
        long end = Math.min(data.length, offsetBytes + lengthBytes);
        while (position < end) {
            boolean used = allocated[(int) (position / BLOCK)];
            long next = Math.min(end, (position / BLOCK + 1) * BLOCK);
            extents.add(new AllocationExtent(position, next - position, !used, !used));
            position = next;
        }
        AllocationResult result = AllocationResult.ok(extents);
        Executor executor = completer;
        if (executor == null) {
            return CompletableFuture.completedFuture(result);
        }
        return CompletableFuture.supplyAsync(() -> result, executor);
    }

    @Override
    public void close() {
    }

    private synchronized void zero(long offsetBytes, long lengthBytes, boolean punch) {
        java.util.Arrays.fill(data, (int) offsetBytes, (int) (offsetBytes + lengthBytes), (byte) 0);
        if (punch) {
            // Only whole blocks become holes.
            long first = (offsetBytes + BLOCK - 1) / BLOCK;
            long last = (offsetBytes + lengthBytes) / BLOCK;
            for (long block = first; block < last; block++) {
                allocated[(int) block] = false;
            }
        } else {
            markAllocated(offsetBytes, lengthBytes, true);
        }
    }

    private void markAllocated(long offsetBytes, long lengthBytes, boolean value) {
        for (long block = offsetBytes / BLOCK; block * BLOCK < offsetBytes + lengthBytes; block++) {
            allocated[(int) block] = value;
        }
    }

    private CompletableFuture<IoResult> complete(IoResult result) {
        Executor executor = completer;
        if (executor == null) {
            return CompletableFuture.completedFuture(result);
        }
        return CompletableFuture.supplyAsync(() -> result, executor);
    }
}
