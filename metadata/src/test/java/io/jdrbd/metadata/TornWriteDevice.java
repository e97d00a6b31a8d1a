package io.jdrbd.metadata;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.layer.ForwardingDevice;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Test layer: the power fails during the {@code writesBeforeCut + 1}-th write, after the sectors
 * the chosen {@link Tear} lets through reached the device; that write and every later one fail.
 */
final class TornWriteDevice extends ForwardingDevice {
    /** Which sectors of the interrupted write persist. */
    enum Tear { PREFIX, SUFFIX }

    private static final int SECTOR = 512;

    private final int writesBeforeCut;
    private final int sectorsThrough;
    private final Tear tear;
    private int writes;

    TornWriteDevice(BlockDevice inner, int writesBeforeCut, int sectorsThrough, Tear tear) {
        super(inner);
        this.writesBeforeCut = writesBeforeCut;
        this.sectorsThrough = sectorsThrough;
        this.tear = tear;
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int index = writes++;
        if (index < writesBeforeCut) {
            return inner.write(offsetBytes, data, flags);
        }
        if (index == writesBeforeCut) {
            int sectors = data.readableBytes() / SECTOR;
            int through = Math.min(sectorsThrough, sectors);
            int first = tear == Tear.PREFIX ? 0 : sectors - through;
            if (through > 0) {
                inner.write(offsetBytes + (long) first * SECTOR,
                        data.slice(data.readerIndex() + first * SECTOR, through * SECTOR), flags).join();
            }
        }
        return IoFutures.failed(IoError.EIO, offsetBytes, data.readableBytes(), "power cut");
    }
}
