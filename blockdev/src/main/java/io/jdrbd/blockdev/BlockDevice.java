package io.jdrbd.blockdev;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous block device. Every operation returns at once with a future that completes
 * (possibly on another thread) with an {@link IoResult}; failures are results, never exceptions.
 * Offsets and lengths are in bytes; callers validate ranges at their edge, and a device answers an
 * out-of-range request with {@link IoError#EINVAL} rather than corrupting anything.
 *
 * <p>Buffers: {@link #write} does not take ownership of {@code data}; the caller keeps its
 * reference and must not release or modify the readable bytes until the future completes.
 * {@link #read} writes {@code lengthBytes} into {@code target} at its writer index (which the
 * caller sized) and advances the writer index on success.
 */
public interface BlockDevice extends AutoCloseable {

    /** Write flag: force unit access, the write is durable when it completes. */
    int FUA = 1;

    long sizeBytes();

    /** Smallest addressable unit; requests need not be aligned to it unless a device says so. */
    int logicalBlockSize();

    /** Preferred I/O unit (a 4 KiB page for most devices). */
    int physicalBlockSize();

    /**
     * Alignment (in bytes, a power of two) that every request's offset and length must have; a
     * misaligned request completes with {@link IoError#EINVAL}. 1 means byte-granular. The NBD
     * edge advertises it as the minimum block size.
     */
    default int requiredAlignment() {
        return 1;
    }

    Capabilities capabilities();

    CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target);

    /** Writes all readable bytes of {@code data} at {@code offsetBytes}; {@code flags} may hold {@link #FUA}. */
    CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags);

    /** Makes every write completed before this call durable. */
    CompletableFuture<IoResult> flush();

    /** Discards a range; later reads of it return unspecified data (zeroes for our backends). */
    CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags);

    /**
     * Makes a range read as zeroes.
     *
     * @param mayPunchHole the device may deallocate the range (NBD without NO_HOLE)
     * @param fastZero     fail with {@link IoError#ENOTSUP} instead of doing slow work (NBD FAST_ZERO)
     */
    CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                            boolean mayPunchHole, boolean fastZero);

    /** Prefetch hint; completes OK on devices where it has no effect. */
    default CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        return CompletableFuture.completedFuture(IoResult.OK);
    }

    /**
     * Allocation status of {@code [offsetBytes, offsetBytes + lengthBytes)}: contiguous extents, in
     * order, starting at {@code offsetBytes}, covering at least one byte and at most the range.
     * A device that cannot tell reports the whole range as data.
     */
    CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes);

    /** Completes pending work and frees resources; later calls answer {@link IoError#ESHUTDOWN}. */
    @Override
    void close();

    /** The answer to {@link #allocation}: extents on success, the error otherwise. */
    record AllocationResult(IoResult result, List<AllocationExtent> extents) {
        public static AllocationResult ok(List<AllocationExtent> extents) {
            return new AllocationResult(IoResult.OK, List.copyOf(extents));
        }

        public static AllocationResult failed(IoResult result) {
            return new AllocationResult(result, List.of());
        }
    }
}
