package io.jdrbd.nbd;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.BlockDevice.AllocationResult;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.nbd.RequestValidator.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The transmission phase of one connection: validates each request, submits it to the device,
 * and writes its reply when the device completes, in completion order (NBD allows out-of-order
 * replies). Runs on the channel's event loop; device completions from other threads are posted
 * back to it.
 *
 * <p>Performance: a READ's reply header and data share one pooled direct buffer (the device reads
 * straight behind the header, nothing is copied); status-only replies are gathered in one buffer
 * per flush; flushes happen once per read batch (or once per burst of asynchronous completions);
 * a completion that is already done when the device returns is handled without a thread hop.
 *
 * <p>Bounds: at most {@code maxInFlightRequests} requests and {@code maxInFlightBytes} of read
 * buffers and write payloads per connection; beyond that requests wait in order and the socket is
 * not read until they drain (and not while the channel is unwritable).
 */
final class Transmission {
    /** One BLOCK_STATUS chunk never lists more extents than this (the spec suggests at most 2^20). */
    static final int MAX_EXTENTS_PER_REPLY = 1 << 16;
    /** Bytes of allocation asked of the device per BLOCK_STATUS; the request length is only a hint. */
    static final long MAX_BLOCK_STATUS_QUERY_BYTES = 1L << 31;
    private static final int SMALL_REPLIES_INITIAL_BYTES = 1024;
    /** Reads this long or longer ask the device for holes first (cheap next to copying the data). */
    static final int HOLE_PROBE_MIN_BYTES = 64 * 1024;
    /** A sparse read is answered in at most about this many chunks; the rest goes out as data. */
    private static final int MAX_READ_CHUNKS = 64;
    /**
     * Replies are flushed once per read batch, except when read data waiting for the flush, or the
     * payload of the write just answered, reaches this: then the client learns of the completion at
     * once and keeps its queue full, and one more syscall per 64 KiB is negligible.
     */
    private static final int EARLY_FLUSH_BYTES = 64 * 1024;
    private static final int READ_HEADER_SIMPLE = NbdProtocol.SIMPLE_REPLY_BYTES;
    private static final int READ_HEADER_STRUCTURED = NbdProtocol.CHUNK_HEADER_BYTES + 8;

    private final ChannelHandlerContext ctx;
    private final NbdConnection connection;
    private final NbdExport export;
    private final BlockDevice device;
    private final ExportSession session;
    private final boolean structuredReplies;
    private final boolean canFastZero;
    private final RequestValidator validator;
    private final int maxPayloadBytes;
    private final int maxInFlightRequests;
    private final long maxInFlightBytes;
    private final ArrayDeque<NbdRequest> waiting = new ArrayDeque<>();
    private final Runnable flushTask = this::runScheduledFlush;

    private int inFlightRequests;
    private long inFlightBytes;
    private ByteBuf smallReplies;
    private boolean readBatchActive;
    private boolean flushPending;
    private boolean flushScheduled;
    private boolean disconnecting;
    private boolean closed;
    private boolean sessionClosed;
    private boolean draining;
    private long unflushedBytes;

    Transmission(ChannelHandlerContext ctx, NbdConnection connection, NbdServerConfig config, NbdExport export,
                 ExportSession session, boolean structuredReplies, boolean blockStatusAllowed) {
        this.ctx = ctx;
        this.connection = connection;
        this.export = export;
        this.device = export.device();
        this.session = session;
        this.structuredReplies = structuredReplies;
        Capabilities caps = device.capabilities();
        this.canFastZero = caps.canZero() && caps.canFastZero();
        this.maxPayloadBytes = config.maxPayloadBytes();
        this.maxInFlightRequests = config.maxInFlightRequests();
        this.maxInFlightBytes = config.maxInFlightBytes();
        this.validator = new RequestValidator(device.sizeBytes(), TransmissionFlags.of(export, structuredReplies),
                export.minimumBlockSize(), maxPayloadBytes, blockStatusAllowed);
    }

    // ---- input ------------------------------------------------------------------------------

    void onRequest(NbdRequest request) {
        readBatchActive = true;
        if (request.type() == NbdProtocol.CMD_DISC) {
            beginDisconnect();
            return;
        }
        if (closed || disconnecting) {
            request.releasePayload();
            return;
        }
        if (!waiting.isEmpty() || !admits(request)) {
            waiting.addLast(request);
            updateAutoRead();
            return;
        }
        start(request);
    }

    void onReadComplete() {
        readBatchActive = false;
        if (flushPending) {
            flushPending = false;
            flushNow();
        }
        updateAutoRead();
    }

    void onChannelClosed() {
        closed = true;
        NbdRequest request;
        while ((request = waiting.pollFirst()) != null) {
            request.releasePayload();
        }
        if (smallReplies != null) {
            smallReplies.release();
            smallReplies = null;
        }
        maybeCloseSession();
    }

    /** Reads from the socket only while this connection is within its bounds. */
    void updateAutoRead() {
        if (closed) {
            return;
        }
        boolean want = !disconnecting && waiting.isEmpty() && inFlightRequests < maxInFlightRequests
                && inFlightBytes < maxInFlightBytes && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
    }

    private boolean admits(NbdRequest request) {
        if (inFlightRequests >= maxInFlightRequests) {
            return false;
        }
        long cost = costOf(request);
        return inFlightBytes == 0 || inFlightBytes + cost <= maxInFlightBytes;
    }

    private long costOf(NbdRequest request) {
        int type = request.type();
        boolean buffered = type == NbdProtocol.CMD_READ || type == NbdProtocol.CMD_WRITE;
        return buffered && request.lengthBytes() <= maxPayloadBytes && !request.payloadDiscarded()
                ? request.lengthBytes() : 0;
    }

    private void beginDisconnect() {
        disconnecting = true;
        connection.ignoreInput();
        ctx.channel().config().setAutoRead(false);
        maybeFinishDisconnect();
    }

    private void maybeFinishDisconnect() {
        if (disconnecting && !closed && inFlightRequests == 0 && waiting.isEmpty()) {
            flushNow();
            connection.closeAfterFlush();
        }
    }

    // ---- dispatch ---------------------------------------------------------------------------

    private void start(NbdRequest request) {
        inFlightRequests++;
        inFlightBytes += costOf(request);
        Rejection rejection = validator.check(request);
        if (rejection != null) {
            request.releasePayload();
            replyError(request, rejection.error(), rejection.message(), -1);
            finish(request);
            return;
        }
        try {
            submit(request);
        } catch (RuntimeException e) {
            // A device that throws instead of completing with an error is a bug; the client sees EIO.
            request.releasePayload();
            replyError(request, NbdProtocol.EIO, "device failed: " + e, -1);
            finish(request);
        }
    }

    private void submit(NbdRequest r) {
        boolean fua = (r.flags() & NbdProtocol.CMD_FLAG_FUA) != 0;
        int deviceFlags = fua ? BlockDevice.FUA : 0;
        switch (r.type()) {
            case NbdProtocol.CMD_READ:
                startRead(r);
                return;
            case NbdProtocol.CMD_WRITE:
                onStatusFuture(r, device.write(r.offset(), r.payload(), deviceFlags));
                return;
            case NbdProtocol.CMD_FLUSH:
                onStatusFuture(r, device.flush());
                return;
            case NbdProtocol.CMD_TRIM:
                onStatusFuture(r, device.trim(r.offset(), r.lengthBytes(), deviceFlags));
                return;
            case NbdProtocol.CMD_CACHE:
                onStatusFuture(r, device.cache(r.offset(), r.lengthBytes()));
                return;
            case NbdProtocol.CMD_WRITE_ZEROES:
                startWriteZeroes(r, deviceFlags);
                return;
            case NbdProtocol.CMD_BLOCK_STATUS:
                startBlockStatus(r);
                return;
            default:
                throw new IllegalStateException("validator let through " + r);
        }
    }

    private void startWriteZeroes(NbdRequest r, int deviceFlags) {
        boolean fastZero = (r.flags() & NbdProtocol.CMD_FLAG_FAST_ZERO) != 0;
        if (fastZero && !canFastZero) {
            replyError(r, NbdProtocol.ENOTSUP, "this export cannot zero faster than it writes", -1);
            finish(r);
            return;
        }
        boolean mayPunchHole = (r.flags() & NbdProtocol.CMD_FLAG_NO_HOLE) == 0;
        onStatusFuture(r, device.writeZeroes(r.offset(), r.lengthBytes(), deviceFlags, mayPunchHole, fastZero));
    }

    // ---- status-only commands ---------------------------------------------------------------

    private void onStatusFuture(NbdRequest r, CompletableFuture<IoResult> future) {
        if (future.isDone()) {
            onStatusDone(r, resultOf(future));
        } else {
            future.whenComplete((result, error) -> ctx.executor().execute(
                    () -> onStatusDone(r, error != null ? failure(error) : result)));
        }
    }

    private void onStatusDone(NbdRequest r, IoResult result) {
        r.releasePayload();
        if (result.ok()) {
            replyOk(r);
            if (readBatchActive && r.type() == NbdProtocol.CMD_WRITE && r.lengthBytes() >= EARLY_FLUSH_BYTES) {
                flushNow();
            }
        } else {
            replyError(r, NbdProtocol.errorOf(result.error()), result.toString(), errorOffsetWithin(r, result));
        }
        finish(r);
    }

    // ---- READ -------------------------------------------------------------------------------

    /**
     * READ. With structured replies (and no DF) a read of at least {@value #HOLE_PROBE_MIN_BYTES}
     * first asks the device which parts read as zeroes: a read that is all zeroes is answered with
     * one OFFSET_HOLE chunk and no data; a mixed one with OFFSET_DATA chunks (slices of the one
     * read buffer) and OFFSET_HOLE chunks.
     */
    private void startRead(NbdRequest r) {
        boolean probeHoles = structuredReplies && (r.flags() & NbdProtocol.CMD_FLAG_DF) == 0
                && r.lengthBytes() >= HOLE_PROBE_MIN_BYTES;
        if (!probeHoles) {
            readInto(r, null);
            return;
        }
        CompletableFuture<AllocationResult> future = device.allocation(r.offset(), r.lengthBytes());
        if (future.isDone()) {
            onReadAllocationKnown(r, allocationOf(future));
        } else {
            future.whenComplete((result, error) -> ctx.executor().execute(() -> onReadAllocationKnown(r,
                    error != null ? AllocationResult.failed(failure(error)) : result)));
        }
    }

    private void onReadAllocationKnown(NbdRequest r, AllocationResult allocation) {
        if (closed) {
            finish(r);
            return;
        }
        ExtentList layout = allocation.result().ok()
                ? ExtentList.from(allocation.extents(), r.offset(), r.lengthBytes(), MAX_READ_CHUNKS) : null;
        if (layout == null || !layout.anyZero()) {
            readInto(r, null);
        } else if (layout.count() == 1 && layout.length(0) == r.lengthBytes()) {
            ByteBuf hole = ctx.alloc().directBuffer(NbdProtocol.CHUNK_HEADER_BYTES + 12);
            ReplyEncoder.writeOffsetHole(hole, NbdProtocol.REPLY_FLAG_DONE, r.cookie(), r.offset(),
                    (int) r.lengthBytes());
            ctx.write(hole, ctx.voidPromise());
            afterReply();
            finish(r);
        } else {
            readInto(r, layout);
        }
    }

    private void readInto(NbdRequest r, ExtentList layout) {
        int length = (int) r.lengthBytes();
        int header = structuredReplies ? READ_HEADER_STRUCTURED : READ_HEADER_SIMPLE;
        ByteBuf reply = ctx.alloc().directBuffer(header + length, header + length);
        reply.writerIndex(header);
        CompletableFuture<IoResult> future;
        try {
            future = device.read(r.offset(), length, reply);
        } catch (RuntimeException e) {
            reply.release();
            throw e;
        }
        if (future.isDone()) {
            onReadDone(r, reply, layout, resultOf(future));
        } else {
            future.whenComplete((result, error) -> ctx.executor().execute(
                    () -> onReadDone(r, reply, layout, error != null ? failure(error) : result)));
        }
    }

    private void onReadDone(NbdRequest r, ByteBuf reply, ExtentList layout, IoResult result) {
        int length = (int) r.lengthBytes();
        int header = structuredReplies ? READ_HEADER_STRUCTURED : READ_HEADER_SIMPLE;
        if (closed) {
            reply.release();
        } else if (result.ok() && reply.readableBytes() == header + length) {
            unflushedBytes += reply.readableBytes();
            if (layout != null) {
                writeSparseChunks(r, reply, layout);
            } else {
                if (structuredReplies) {
                    ReplyEncoder.setOffsetDataHeader(reply, 0, NbdProtocol.REPLY_FLAG_DONE, r.cookie(), r.offset(),
                            length);
                } else {
                    ReplyEncoder.setSimpleReply(reply, 0, 0, r.cookie());
                }
                ctx.write(reply, ctx.voidPromise());
            }
            if (readBatchActive && unflushedBytes >= EARLY_FLUSH_BYTES) {
                flushNow();
            } else {
                afterReply();
            }
        } else {
            reply.release();
            IoResult failure = result.ok()
                    ? IoResult.failed(IoError.EIO, r.offset(), length, "device returned a short read") : result;
            replyError(r, NbdProtocol.errorOf(failure.error()), failure.toString(), errorOffsetWithin(r, failure));
        }
        finish(r);
    }

    /**
     * Writes a read as consecutive chunks, in order, DONE on the last: OFFSET_HOLE for extents that
     * read as zeroes, OFFSET_DATA (header, then a slice of {@code reply}) for the rest, including
     * whatever the layout does not cover. Consumes {@code reply}.
     */
    private void writeSparseChunks(NbdRequest r, ByteBuf reply, ExtentList layout) {
        long length = r.lengthBytes();
        long position = 0;
        int index = 0;
        while (position < length) {
            boolean zero = index < layout.count() && (layout.state(index) & NbdProtocol.STATE_ZERO) != 0;
            long run = index < layout.count() ? layout.length(index) : length - position;
            index++;
            // Consecutive non-zero extents (data, or holes of unknown content) go out as one data chunk.
            while (!zero && index < layout.count() && (layout.state(index) & NbdProtocol.STATE_ZERO) == 0) {
                run += layout.length(index);
                index++;
            }
            if (!zero && index >= layout.count()) {
                run = length - position;
            }
            int flags = position + run == length ? NbdProtocol.REPLY_FLAG_DONE : 0;
            if (zero) {
                ByteBuf hole = ctx.alloc().directBuffer(NbdProtocol.CHUNK_HEADER_BYTES + 12);
                ReplyEncoder.writeOffsetHole(hole, flags, r.cookie(), r.offset() + position, (int) run);
                ctx.write(hole, ctx.voidPromise());
            } else {
                ByteBuf chunkHeader = ctx.alloc().directBuffer(READ_HEADER_STRUCTURED);
                chunkHeader.writerIndex(READ_HEADER_STRUCTURED);
                ReplyEncoder.setOffsetDataHeader(chunkHeader, 0, flags, r.cookie(), r.offset() + position, (int) run);
                ctx.write(chunkHeader, ctx.voidPromise());
                ctx.write(reply.retainedSlice(READ_HEADER_STRUCTURED + (int) position, (int) run), ctx.voidPromise());
            }
            position += run;
        }
        reply.release();
    }

    // ---- BLOCK_STATUS -----------------------------------------------------------------------

    private void startBlockStatus(NbdRequest r) {
        long query = Math.min(r.lengthBytes(), MAX_BLOCK_STATUS_QUERY_BYTES);
        CompletableFuture<AllocationResult> future = device.allocation(r.offset(), query);
        if (future.isDone()) {
            onBlockStatusDone(r, query, allocationOf(future));
        } else {
            future.whenComplete((result, error) -> ctx.executor().execute(() -> onBlockStatusDone(r, query,
                    error != null ? AllocationResult.failed(failure(error)) : result)));
        }
    }

    private void onBlockStatusDone(NbdRequest r, long query, AllocationResult result) {
        if (closed) {
            finish(r);
            return;
        }
        if (!result.result().ok()) {
            IoResult failure = result.result();
            replyError(r, NbdProtocol.errorOf(failure.error()), failure.toString(), errorOffsetWithin(r, failure));
            finish(r);
            return;
        }
        boolean reqOne = (r.flags() & NbdProtocol.CMD_FLAG_REQ_ONE) != 0;
        ExtentList extents = ExtentList.from(result.extents(), r.offset(), query,
                reqOne ? 1 : MAX_EXTENTS_PER_REPLY);
        ByteBuf out = smallReplies(NbdProtocol.CHUNK_HEADER_BYTES + 4 + 8 * extents.count());
        ReplyEncoder.writeChunkHeader(out, NbdProtocol.REPLY_FLAG_DONE, NbdProtocol.REPLY_TYPE_BLOCK_STATUS,
                r.cookie(), 4 + 8 * extents.count());
        out.writeInt(OptionNegotiation.BASE_ALLOCATION_ID);
        extents.writeTo(out);
        afterReply();
        finish(r);
    }

    // ---- replies ----------------------------------------------------------------------------

    private void replyOk(NbdRequest r) {
        if (closed) {
            return;
        }
        ReplyEncoder.writeSimpleReply(smallReplies(NbdProtocol.SIMPLE_REPLY_BYTES), 0, r.cookie());
        afterReply();
    }

    /** An error reply: a structured ERROR(_OFFSET) chunk with the message when negotiated, else simple. */
    private void replyError(NbdRequest r, int error, String message, long errorOffset) {
        if (closed) {
            return;
        }
        if (structuredReplies) {
            byte[] text = ReplyEncoder.truncatedUtf8(message);
            ReplyEncoder.writeErrorChunk(smallReplies(ReplyEncoder.errorChunkBytes(text, errorOffset >= 0)),
                    r.cookie(), error, text, errorOffset);
        } else {
            ReplyEncoder.writeSimpleReply(smallReplies(NbdProtocol.SIMPLE_REPLY_BYTES), error, r.cookie());
        }
        afterReply();
    }

    private ByteBuf smallReplies(int bytes) {
        if (smallReplies == null) {
            smallReplies = ctx.alloc().directBuffer(Math.max(SMALL_REPLIES_INITIAL_BYTES, bytes));
        } else {
            smallReplies.ensureWritable(bytes);
        }
        return smallReplies;
    }

    private void afterReply() {
        if (readBatchActive) {
            flushPending = true;
        } else if (!flushScheduled) {
            // Completions from the device arrive as separate tasks: one flush after the burst.
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void runScheduledFlush() {
        flushScheduled = false;
        if (!readBatchActive) {
            flushNow();
        } else {
            flushPending = true;
        }
    }

    private void flushNow() {
        if (closed) {
            return;
        }
        if (smallReplies != null) {
            ByteBuf replies = smallReplies;
            smallReplies = null;
            ctx.write(replies, ctx.voidPromise());
        }
        unflushedBytes = 0;
        ctx.flush();
    }

    private void finish(NbdRequest r) {
        inFlightRequests--;
        inFlightBytes -= costOf(r);
        r.releasePayload();
        drainWaiting();
        if (closed) {
            maybeCloseSession();
        } else if (disconnecting) {
            maybeFinishDisconnect();
        } else if (!readBatchActive) {
            updateAutoRead();
        }
    }

    /** Starts waiting requests that now fit; iterative, as a started request may finish at once. */
    private void drainWaiting() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!closed && !waiting.isEmpty() && admits(waiting.peekFirst())) {
                start(waiting.pollFirst());
            }
        } finally {
            draining = false;
        }
    }

    private void maybeCloseSession() {
        if (closed && !sessionClosed && inFlightRequests == 0) {
            sessionClosed = true;
            export.accessListener().onClose(session);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static long errorOffsetWithin(NbdRequest r, IoResult failure) {
        long offset = failure.offsetBytes();
        boolean rangeCommand = r.type() != NbdProtocol.CMD_FLUSH;
        boolean inside = rangeCommand && Long.compareUnsigned(offset, r.offset()) >= 0
                && Long.compareUnsigned(offset - r.offset(), r.lengthBytes()) < 0 && failure.lengthBytes() > 0;
        return inside ? offset : -1;
    }

    private static IoResult resultOf(CompletableFuture<IoResult> future) {
        try {
            IoResult result = future.getNow(null);
            return result != null ? result : IoResult.failed(IoError.EIO, 0, 0, "device completed without a result");
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return failure(e);
        }
    }

    private static AllocationResult allocationOf(CompletableFuture<AllocationResult> future) {
        try {
            AllocationResult result = future.getNow(null);
            return result != null ? result
                    : AllocationResult.failed(IoResult.failed(IoError.EIO, 0, 0, "device completed without a result"));
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return AllocationResult.failed(failure(e));
        }
    }

    private static IoResult failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return IoResult.failed(IoError.EIO, 0, 0, "device failed: " + cause);
    }
}
