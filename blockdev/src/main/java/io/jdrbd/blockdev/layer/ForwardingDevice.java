package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A layer that passes every call to the device below; subclasses override what they change. */
public abstract class ForwardingDevice implements BlockDevice {

    protected final BlockDevice inner;

    protected ForwardingDevice(BlockDevice inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The device this layer wraps. */
    public BlockDevice inner() {
        return inner;
    }

    @Override
    public long sizeBytes() {
        return inner.sizeBytes();
    }

    @Override
    public int logicalBlockSize() {
        return inner.logicalBlockSize();
    }

    @Override
    public int physicalBlockSize() {
        return inner.physicalBlockSize();
    }

    @Override
    public int requiredAlignment() {
        return inner.requiredAlignment();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        return inner.read(offsetBytes, lengthBytes, target);
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        return inner.write(offsetBytes, data, flags);
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        return inner.flush();
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return inner.trim(offsetBytes, lengthBytes, flags);
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        return inner.writeZeroes(offsetBytes, lengthBytes, flags, mayPunchHole, fastZero);
    }

    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        return inner.cache(offsetBytes, lengthBytes);
    }

    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        return inner.allocation(offsetBytes, lengthBytes);
    }

    /** Closes the wrapped device too: a stack of layers is closed from the top. */
    @Override
    public void close() {
        inner.close();
    }
}
