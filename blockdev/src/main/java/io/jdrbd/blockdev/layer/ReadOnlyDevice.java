package io.jdrbd.blockdev.layer;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses every modification (write, trim, write-zeroes) with {@link IoError#EPERM} before it
 * reaches the device below; reads, flush, cache and allocation pass through. Flush stays allowed
 * because NBD clients flush read-only exports too and expect success.
 */
public final class ReadOnlyDevice extends ForwardingDevice {

    public ReadOnlyDevice(BlockDevice inner) {
        super(inner);
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities().withReadOnly(true);
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        return refuse(offsetBytes, data.readableBytes());
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        return refuse(offsetBytes, lengthBytes);
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        return refuse(offsetBytes, lengthBytes);
    }

    private static CompletableFuture<IoResult> refuse(long offsetBytes, long lengthBytes) {
        return IoFutures.failed(IoError.EPERM, offsetBytes, lengthBytes, "device is read-only");
    }
}
