package io.jdrbd.proxy;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Compresses blocks into link frames on a small pool of threads (one zstd context per thread).
 * Completion order is not submission order; the caller's {@link Tunnel} puts frames back in order.
 * The queue is unbounded here because the memlimit already bounds the bytes submitted.
 */
public final class BlockCompressor implements AutoCloseable {

    private static final ThreadLocal<ZstdCompressCtx> COMPRESS = ThreadLocal.withInitial(ZstdCompressCtx::new);
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    private final ExecutorService pool;

    public BlockCompressor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "jdrbd-proxy-zstd-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Compresses {@code block} (ownership passes) on the pool; {@code done} gets the frame, on a pool thread. */
    void submit(ByteBuf block, int level, ByteBufAllocator alloc, Consumer<ByteBuf> done) {
        pool.execute(() -> done.accept(frame(block, level, alloc)));
    }

    /**
     * A complete link frame for {@code block} (ownership passes): ZSTD when compression saves bytes,
     * otherwise RAW with the block itself as payload (no copy).
     */
    public static ByteBuf frame(ByteBuf block, int level, ByteBufAllocator alloc) {
        int raw = block.readableBytes();
        if (level > 0 && raw > 0 && block.nioBufferCount() == 1 && block.isDirect()) {
            ByteBuf out = alloc.directBuffer(LinkFrame.HEADER_BYTES + raw);
            try {
                ByteBuffer target = out.nioBuffer(LinkFrame.HEADER_BYTES, raw);
                ByteBuffer source = block.nioBuffer(block.readerIndex(), raw);
                ZstdCompressCtx ctx = COMPRESS.get().setLevel(level);
                // A target one byte short of the input makes zstd fail instead of expanding the block.
                int compressed = ctx.compressDirectByteBuffer(target, 0, raw - 1, source, 0, raw);
                LinkFrame.writeHeader(out, LinkFrame.Type.ZSTD, raw, compressed);
                out.writerIndex(LinkFrame.HEADER_BYTES + compressed);
                block.release();
                return out;
            } catch (ZstdException incompressible) {
                out.release();
            }
        }
        ByteBuf header = alloc.buffer(LinkFrame.HEADER_BYTES);
        LinkFrame.writeHeader(header, LinkFrame.Type.RAW, raw, raw);
        return Unpooled.wrappedBuffer(2, header, block);
    }

    /** The decompressed payload of a ZSTD frame, exactly {@code rawLength} bytes; the payload is not released. */
    public static ByteBuf decompress(ByteBuf payload, int rawLength, ByteBufAllocator alloc) {
        ByteBuf source = payload;
        boolean copied = false;
        if (!payload.isDirect() || payload.nioBufferCount() != 1) {
            source = alloc.directBuffer(payload.readableBytes());
            source.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            copied = true;
        }
        ByteBuf out = alloc.directBuffer(rawLength);
        try {
            int length = source.readableBytes();
            int produced = DECOMPRESS.get().decompressDirectByteBuffer(out.nioBuffer(0, rawLength), 0, rawLength,
                    source.nioBuffer(source.readerIndex(), length), 0, length);
            if (produced != rawLength) {
                throw new LinkFrameException("ZSTD frame decompressed to " + produced + " bytes, header says "
                        + rawLength);
            }
            out.writerIndex(rawLength);
            return out;
        } catch (ZstdException e) {
            out.release();
            throw new LinkFrameException("ZSTD frame does not decompress: " + e.getMessage());
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            if (copied) {
                source.release();
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
