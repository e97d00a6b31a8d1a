package io.jdrbd.node.runtime;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.RequestCheck;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.wire.Limits;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated device as its users see it (the DRBD device, {@code /dev/drbdN}): every request is
 * an engine input on the resource's loop. Requests larger than the engine takes (1 MiB of data,
 * 128 MiB of trim/zeroes) are split and complete when every part has.
 */
public final class ReplicatedDevice implements BlockDevice {

    static final int SECTOR_BYTES = 512;
    /** The engine's limit for a trim or zero-out (DRBD's max discard size). */
    static final long MAX_DISCARD_BYTES = 128L << 20;

    private final ResourceRuntime runtime;

    public ReplicatedDevice(ResourceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public long sizeBytes() {
        return runtime.exposedSizeBytes();
    }

    @Override
    public int logicalBlockSize() {
        return SECTOR_BYTES;
    }

    @Override
    public int physicalBlockSize() {
        return 4096;
    }

    @Override
    public int requiredAlignment() {
        return SECTOR_BYTES;
    }

    @Override
    public Capabilities capabilities() {
        // multi-conn stays off: flushes are per engine (they would cover every connection), but we
        // do not promise it until a test shows it
        return new Capabilities(false, true, true, true, true, false, false, false);
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        IoResult bad = RequestCheck.range(this, offsetBytes, lengthBytes);
        if (bad != null) {
            return IoFutures.of(bad);
        }
        int base = target.writerIndex();
        List<CompletableFuture<IoResult>> parts = new ArrayList<>();
        for (int done = 0; done < lengthBytes; done += Limits.DRBD_MAX_BIO_SIZE) {
            int length = Math.min(Limits.DRBD_MAX_BIO_SIZE, lengthBytes - done);
            int at = base + done;
            long offset = offsetBytes + done;
            parts.add(runtime.submitRequest(id -> new EngineInput.ReadRequested(id, offset, length))
                    .thenApply(completion -> {
                        ByteBuf data = completion.data();
                        if (data != null) {
                            try {
                                if (completion.result().ok()) {
                                    target.setBytes(at, data, data.readerIndex(), length);
                                }
                            } finally {
                                data.release();
                            }
                        }
                        return completion.result();
                    }));
        }
        return all(parts).thenApply(result -> {
            if (result.ok()) {
                target.writerIndex(base + lengthBytes);
            }
            return result;
        });
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int lengthBytes = data.readableBytes();
        IoResult bad = RequestCheck.range(this, offsetBytes, lengthBytes);
        if (bad == null) {
            bad = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (bad != null) {
            return IoFutures.of(bad);
        }
        int engineFlags = (flags & FUA) != 0 ? EngineInput.FLAG_FUA : 0;
        List<CompletableFuture<IoResult>> parts = new ArrayList<>();
        for (int done = 0; done < lengthBytes; done += Limits.DRBD_MAX_BIO_SIZE) {
            int length = Math.min(Limits.DRBD_MAX_BIO_SIZE, lengthBytes - done);
            // one reference for the engine; the caller keeps its own until this future completes
            ByteBuf part = data.retainedSlice(data.readerIndex() + done, length);
            long offset = offsetBytes + done;
            parts.add(runtime.submitRequest(id -> new EngineInput.WriteRequested(id, offset, part, engineFlags))
                    .thenApply(ResourceRuntime.Completion::result));
        }
        return all(parts);
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        return runtime.submitRequest(EngineInput.FlushRequested::new).thenApply(ResourceRuntime.Completion::result);
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return discard(offsetBytes, lengthBytes, false, false);
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        if (fastZero) {
            // zeroes go through replication to every peer: never "fast" in NBD's sense
            return IoFutures.failed(IoError.ENOTSUP, offsetBytes, lengthBytes, "fast zero is not supported");
        }
        return discard(offsetBytes, lengthBytes, true, mayPunchHole);
    }

    private CompletableFuture<IoResult> discard(long offsetBytes, long lengthBytes, boolean zeroes, boolean unmap) {
        IoResult bad = RequestCheck.range(this, offsetBytes, lengthBytes);
        if (bad != null) {
            return IoFutures.of(bad);
        }
        List<CompletableFuture<IoResult>> parts = new ArrayList<>();
        for (long done = 0; done < lengthBytes; done += MAX_DISCARD_BYTES) {
            long length = Math.min(MAX_DISCARD_BYTES, lengthBytes - done);
            long offset = offsetBytes + done;
            parts.add(runtime.submitRequest(id -> zeroes
                    ? new EngineInput.ZeroesRequested(id, offset, length, unmap)
                    : new EngineInput.TrimRequested(id, offset, length))
                    .thenApply(ResourceRuntime.Completion::result));
        }
        return all(parts);
    }

    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        IoResult bad = RequestCheck.range(this, offsetBytes, lengthBytes);
        if (bad != null) {
            return CompletableFuture.completedFuture(AllocationResult.failed(bad));
        }
        // the local backing device knows its holes; meta-data lies beyond the exposed size
        return runtime.disk().allocation(offsetBytes, lengthBytes).thenApply(answer -> {
            if (!answer.result().ok()) {
                return answer;
            }
            List<AllocationExtent> clipped = new ArrayList<>();
            long end = offsetBytes + lengthBytes;
            for (AllocationExtent extent : answer.extents()) {
                if (extent.offsetBytes() >= end) {
                    break;
                }
                long length = Math.min(extent.endBytes(), end) - extent.offsetBytes();
                clipped.add(new AllocationExtent(extent.offsetBytes(), length, extent.hole(), extent.zero()));
            }
            return clipped.isEmpty() ? AllocationResult.ok(List.of(new AllocationExtent(offsetBytes, lengthBytes,
                    false, false))) : AllocationResult.ok(clipped);
        });
    }

    @Override
    public void close() {
        // the resource owns the backing device; `down` closes it
    }

    private static CompletableFuture<IoResult> all(List<CompletableFuture<IoResult>> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            for (CompletableFuture<IoResult> part : parts) {
                IoResult result = part.join();
                if (!result.ok()) {
                    return result;
                }
            }
            return IoResult.OK;
        });
    }
}
