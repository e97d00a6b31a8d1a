package io.jdrbd.metadata.disk;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.metadata.ActivityLog;
import io.jdrbd.metadata.AlTransactionCodec;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.metadata.MetaDiskMode;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.SuperblockCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The on-disk side of the meta-data: reads and writes superblock, activity-log blocks and bitmap
 * pages of one {@link MetadataLayout} on a {@link BlockDevice}, in the kernel's 4 KiB units with
 * FUA for superblock and AL transactions. Asynchronous like the device; a failed I/O completes the
 * future exceptionally with {@link MetadataIoException}, a bad superblock with a
 * {@link CompletionException} wrapping {@link MetadataFormatException}.
 *
 * <p>Ordering for crash safety is the caller's (see docs/metadata.md): bitmap pages of evicted
 * extents before an AL transaction, the superblock as one guarded 4 KiB write.
 */
public final class MetadataStore {
    /** Bitmap reads and writes go in batches of this many bytes. */
    private static final int BATCH_BYTES = 1 << 20;

    private final BlockDevice device;
    private final MetadataLayout layout;
    private Superblock lastRead;
    private boolean onDiskGuarded;

    public MetadataStore(BlockDevice device, MetadataLayout layout) {
        this.device = device;
        this.layout = layout;
    }

    public MetadataLayout layout() {
        return layout;
    }

    public BlockDevice device() {
        return device;
    }

    /** Byte position of the superblock for a meta-data device of {@code mdDeviceBytes}. */
    public static long superblockOffset(MetaDiskMode mode, int index, long mdDeviceBytes) {
        switch (mode) {
            case INTERNAL:
                return (mdDeviceBytes - MetadataLayout.BLOCK_BYTES) / MetadataLayout.BLOCK_BYTES
                        * MetadataLayout.BLOCK_BYTES;
            case FLEX_EXTERNAL:
                return 0;
            case INDEXED:
                return index * MetadataLayout.INDEXED_WINDOW_BYTES;
            default:
                throw new AssertionError(mode);
        }
    }

    /** Reads the 4096 raw bytes at {@code offsetBytes}. */
    public static CompletableFuture<byte[]> readBlock(BlockDevice device, long offsetBytes) {
        return readBytes(device, offsetBytes, MetadataLayout.BLOCK_BYTES);
    }

    /** Reads {@code length} raw bytes at {@code offsetBytes}. */
    public static CompletableFuture<byte[]> readBytes(BlockDevice device, long offsetBytes, int length) {
        ByteBuf target = Unpooled.buffer(length, length);
        return device.read(offsetBytes, length, target).thenApply(result -> {
            try {
                check("read of " + length + " bytes at " + offsetBytes, result);
                byte[] bytes = new byte[length];
                target.getBytes(0, bytes);
                return bytes;
            } finally {
                target.release();
            }
        });
    }

    /** Writes {@code bytes} at {@code offsetBytes} with {@code flags} (e.g. {@link BlockDevice#FUA}). */
    public static CompletableFuture<Void> writeBytes(BlockDevice device, long offsetBytes, byte[] bytes, int flags) {
        ByteBuf data = Unpooled.wrappedBuffer(bytes);
        return device.write(offsetBytes, data, flags).thenApply(result -> {
            data.release();
            check("write of " + bytes.length + " bytes at " + offsetBytes, result);
            return null;
        });
    }

    private static void check(String what, IoResult result) {
        if (!result.ok()) {
            throw new MetadataIoException(what, result);
        }
    }

    /** Reads and decodes the superblock at the layout's position. */
    public CompletableFuture<Superblock> readSuperblock() {
        return readBlock(device, layout.mdOffsetBytes()).thenApply(block -> {
            try {
                Superblock sb = SuperblockCodec.decode(block);
                lastRead = sb;
                onDiskGuarded = SuperblockCodec.isGuarded(block);
                return sb;
            } catch (MetadataFormatException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * Writes the superblock as one 4 KiB FUA write. {@code guarded}: with the torn-write guard
     * (the node's choice); when the block on disk is not yet guarded, its old content is first
     * rewritten guarded, so even the first guarded write cannot leave a mix. Unguarded writes are
     * drbdmeta's exact bytes ({@code jdrbd meta}).
     */
    public CompletableFuture<Void> writeSuperblock(Superblock superblock, boolean guarded) {
        CompletableFuture<Void> before = CompletableFuture.completedFuture(null);
        if (guarded && !onDiskGuarded && lastRead != null) {
            before = writeBytes(device, layout.mdOffsetBytes(), SuperblockCodec.encodeGuarded(lastRead),
                    BlockDevice.FUA);
        }
        byte[] block = guarded ? SuperblockCodec.encodeGuarded(superblock) : SuperblockCodec.encode(superblock);
        return before.thenCompose(ignored -> writeBytes(device, layout.mdOffsetBytes(), block, BlockDevice.FUA))
                .thenApply(ignored -> {
                    lastRead = superblock;
                    onDiskGuarded = guarded;
                    return null;
                });
    }

    /** Zeroes the superblock (wipe-md). */
    public CompletableFuture<Void> wipeSuperblock() {
        return writeBytes(device, layout.mdOffsetBytes(), new byte[MetadataLayout.BLOCK_BYTES], BlockDevice.FUA);
    }

    /** Writes a transaction block at its ring position, FUA. */
    public CompletableFuture<Void> writeAlTransaction(ActivityLog.Transaction transaction) {
        return writeBytes(device, layout.alTransactionOffsetBytes(transaction.trNumber()), transaction.block(),
                BlockDevice.FUA);
    }

    /** Reads the AL ring in logical order (ring position 0 .. N-1). */
    public CompletableFuture<List<byte[]>> readAlRing() {
        long ringBytes = layout.alSize4k() * MetadataLayout.BLOCK_BYTES;
        return readBytes(device, layout.alStartBytes(), (int) ringBytes).thenApply(area -> {
            List<byte[]> ring = new ArrayList<>();
            for (long position = 0; position < layout.alSize4k(); position++) {
                int offset = (int) (layout.alRingOffsetBytes(position) - layout.alStartBytes());
                byte[] block = new byte[MetadataLayout.BLOCK_BYTES];
                System.arraycopy(area, offset, block, 0, block.length);
                ring.add(block);
            }
            return ring;
        });
    }

    /** Writes the INITIALIZED block into every ring position (create-md, after apply-al). */
    public CompletableFuture<Void> initializeAl() {
        long ringBytes = layout.alSize4k() * MetadataLayout.BLOCK_BYTES;
        byte[] area = new byte[(int) ringBytes];
        byte[] initialized = AlTransactionCodec.initializedBlock();
        for (int i = 0; i < layout.alSize4k(); i++) {
            System.arraycopy(initialized, 0, area, i * MetadataLayout.BLOCK_BYTES, initialized.length);
        }
        return writeBytes(device, layout.alStartBytes(), area, 0);
    }

    /** Loads every page of {@code bitmap} from disk. */
    public CompletableFuture<Void> readBitmap(Bitmap bitmap) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int pagesPerBatch = BATCH_BYTES / MetadataLayout.BLOCK_BYTES;
        for (int first = 0; first < bitmap.pageCount(); first += pagesPerBatch) {
            int page = first;
            int pages = Math.min(pagesPerBatch, bitmap.pageCount() - first);
            chain = chain.thenCompose(ignored -> readBytes(device, pageOffset(page),
                    pages * MetadataLayout.BLOCK_BYTES)).thenApply(bytes -> {
                        ByteBuffer source = ByteBuffer.wrap(bytes);
                        for (int i = 0; i < pages; i++) {
                            bitmap.decodePage(page + i, source);
                        }
                        return null;
                    });
        }
        return chain;
    }

    /** Byte position of bitmap page {@code page}. */
    public long pageOffset(int page) {
        return layout.bmStartBytes() + (long) page * MetadataLayout.BLOCK_BYTES;
    }

    /** Writes every dirty page in {@code [firstPage, lastPage]} and marks it clean. */
    public CompletableFuture<Void> writeDirtyPages(Bitmap bitmap, int firstPage, int lastPage) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int page = bitmap.nextDirtyPage(firstPage); page >= 0 && page <= lastPage;
                page = bitmap.nextDirtyPage(page + 1)) {
            byte[] bytes = new byte[MetadataLayout.BLOCK_BYTES];
            bitmap.encodePage(page, ByteBuffer.wrap(bytes));
            bitmap.markClean(page);
            int written = page;
            chain = chain.thenCompose(ignored -> writeBytes(device, pageOffset(written), bytes, 0));
        }
        return chain;
    }

    /** Writes every dirty page. */
    public CompletableFuture<Void> writeDirtyPages(Bitmap bitmap) {
        return writeDirtyPages(bitmap, 0, bitmap.pageCount() - 1);
    }

    /** Zeroes {@code lengthBytes} at {@code offsetBytes} by writing zero buffers (works on every device). */
    public static CompletableFuture<Void> zero(BlockDevice device, long offsetBytes, long lengthBytes) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        byte[] zeroes = new byte[(int) Math.min(BATCH_BYTES, lengthBytes)];
        for (long done = 0; done < lengthBytes; done += zeroes.length) {
            long at = offsetBytes + done;
            int length = (int) Math.min(zeroes.length, lengthBytes - done);
            byte[] chunk = length == zeroes.length ? zeroes : new byte[length];
            chain = chain.thenCompose(ignored -> writeBytes(device, at, chunk, 0));
        }
        return chain;
    }

    public CompletableFuture<Void> flush() {
        return device.flush().thenApply(result -> {
            check("flush", result);
            return null;
        });
    }
}
