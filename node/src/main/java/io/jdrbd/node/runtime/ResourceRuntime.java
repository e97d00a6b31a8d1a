package io.jdrbd.node.runtime;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.disk.MetadataStore;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.Engine;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.engine.EngineOutput;
import io.jdrbd.replication.engine.Events2Line;
import io.jdrbd.replication.engine.Outputs;
import io.jdrbd.replication.engine.StateChangeResult;
import io.jdrbd.replication.wire.PayloadHolder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one resource's {@link Engine} with real I/O. Everything that touches the engine runs on one
 * Netty event loop (the one its peer sockets are registered with), so the engine needs no locks:
 * disk completions, NBD requests and admin commands are posted to that loop as inputs, and the
 * outputs of each step are carried out in order after the step returns.
 */
public final class ResourceRuntime {

    private static final Logger LOG = Logger.getLogger(ResourceRuntime.class.getName());

    private final String name;
    private final EventLoop loop;
    private final Engine engine;
    private final BlockDevice disk;
    private final MetadataStore metadataStore;
    private Superblock superblock;
    private final Outputs outputs = new Outputs();
    private final Map<Long, CompletableFuture<Completion>> requests = new LinkedHashMap<>();
    private final Map<Long, CompletableFuture<StateChangeResult>> adminReplies = new LinkedHashMap<>();
    private final Map<Long, ScheduledFuture<?>> timers = new LinkedHashMap<>();
    private final List<Consumer<Events2Line>> eventListeners = new CopyOnWriteArrayList<>();
    private final PeerLink[] links;
    private final ResourceCounters counters;
    private final AtomicInteger openSessions = new AtomicInteger();
    private long nextRequestId = 1;
    private long nextReplyId = 1;
    private boolean stepping;
    private boolean closed;

    /** An upper-layer request's outcome: the result, and for reads the data (one reference). */
    public record Completion(IoResult result, ByteBuf data) {
    }

    ResourceRuntime(String name, EventLoop loop, Engine engine, BlockDevice disk, MetadataStore metadataStore,
                    Superblock superblock, int maxNodeId) {
        this.name = name;
        this.loop = loop;
        this.engine = engine;
        this.disk = disk;
        this.metadataStore = metadataStore;
        this.superblock = superblock;
        this.links = new PeerLink[maxNodeId + 1];
        this.counters = new ResourceCounters(maxNodeId);
    }

    /** The I/O statistics of this resource (readable from any thread). */
    public ResourceCounters counters() {
        return counters;
    }

    /** NBD sessions that have the device open (DRBD's {@code open:yes}). */
    public int openCount() {
        return openSessions.get();
    }

    void sessionOpened() {
        openSessions.incrementAndGet();
    }

    void sessionClosed() {
        openSessions.decrementAndGet();
    }

    /** Upper-layer requests submitted to the engine and not yet completed (DRBD's upper-pending); on the loop. */
    public int upperPending() {
        assert loop.inEventLoop() : "request table read off its loop";
        return requests.size();
    }

    void addLink(PeerLink link) {
        links[link.peerNodeId()] = link;
    }

    PeerLink link(int peerNodeId) {
        return peerNodeId >= 0 && peerNodeId < links.length ? links[peerNodeId] : null;
    }

    public String name() {
        return name;
    }

    public EventLoop loop() {
        return loop;
    }

    /** The engine, for reading state on the loop thread only. */
    Engine engine() {
        return engine;
    }

    /** The engine for status snapshots; call only from {@link #onLoop} queries. */
    public Engine engineForStatus() {
        assert loop.inEventLoop() : "engine state read off its loop";
        return engine;
    }

    public long exposedSizeBytes() {
        return engine.exposedSizeBytes();
    }

    BlockDevice disk() {
        return disk;
    }

    /** Runs {@code query} on the loop and returns its result: how status and events read the engine. */
    public <T> CompletableFuture<T> onLoop(Callable<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(query.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Feeds one input now; the caller is on the loop and not inside a step. */
    void input(EngineInput input) {
        assert loop.inEventLoop() : "engine input off its loop";
        if (closed) {
            releaseInput(input);
            return;
        }
        if (stepping) {
            loop.execute(() -> input(input));
            return;
        }
        if (input instanceof EngineInput.PacketReceived received
                && received.packet() instanceof PayloadHolder holder) {
            counters.received(received.peerNodeId(), holder.data().readableBytes());
        }
        stepping = true;
        try {
            engine.handle(input, System.nanoTime(), outputs);
        } finally {
            stepping = false;
        }
        outputs.drainTo(this::carryOut);
        for (PeerLink link : links) {
            if (link != null) {
                link.flush();
            }
        }
    }

    /** Posts an input to the loop from any thread. */
    void post(EngineInput input) {
        loop.execute(() -> input(input));
    }

    // ---- upper-layer requests (from the NBD export) ----

    CompletableFuture<Completion> submitRequest(java.util.function.LongFunction<EngineInput> inputForId) {
        CompletableFuture<Completion> future = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                future.complete(new Completion(IoResult.failed(IoError.ESHUTDOWN, 0, 0, "resource " + name
                        + " is down"), null));
                return;
            }
            long id = nextRequestId++;
            requests.put(id, future);
            input(inputForId.apply(id));
        });
        return future;
    }

    /** Runs an admin command; completes with DRBD's state change result. */
    public CompletableFuture<StateChangeResult> admin(AdminVerb verb, int peerNodeId, int flags) {
        CompletableFuture<StateChangeResult> future = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("resource " + name + " is down"));
                return;
            }
            long id = nextReplyId++;
            adminReplies.put(id, future);
            input(new EngineInput.AdminCommand(id, verb, peerNodeId, flags));
        });
        return future;
    }

    // ---- events ----

    /** Subscribes to events2 lines; the initial {@code exists} dump is delivered first, atomically. */
    public CompletableFuture<Void> subscribe(Consumer<Events2Line> listener, Consumer<List<String>> existsDump) {
        return onLoop(() -> {
            existsDump.accept(engine.existsLines());
            eventListeners.add(listener);
            return null;
        });
    }

    public void unsubscribe(Consumer<Events2Line> listener) {
        eventListeners.remove(listener);
    }

    // ---- outputs ----

    private void carryOut(EngineOutput output) {
        switch (output.kind()) {
            case SEND_PACKET -> send((EngineOutput.SendPacket) output);
            case OPEN_TRANSPORT -> linkFor(((EngineOutput.OpenTransport) output).peerNodeId()).open();
            case CLOSE_TRANSPORT -> linkFor(((EngineOutput.CloseTransport) output).peerNodeId()).close();
            case PAUSE_RECEIVE -> {
                EngineOutput.PauseReceive pause = (EngineOutput.PauseReceive) output;
                linkFor(pause.peerNodeId()).pauseReceive(pause.paused());
            }
            case SUBMIT_DISK_READ -> diskRead((EngineOutput.SubmitDiskRead) output);
            case SUBMIT_DISK_WRITE -> diskWrite((EngineOutput.SubmitDiskWrite) output);
            case SUBMIT_DISK_FLUSH -> {
                long ioId = ((EngineOutput.SubmitDiskFlush) output).ioId();
                counters.lowerSubmitted();
                disk.flush().whenComplete((r, e) ->
                        lowerDone().post(new EngineInput.DiskIoCompleted(ioId, result(r, e), null)));
            }
            case SUBMIT_DISK_TRIM -> {
                EngineOutput.SubmitDiskTrim trim = (EngineOutput.SubmitDiskTrim) output;
                counters.lowerSubmitted();
                disk.trim(trim.offsetBytes(), trim.lengthBytes(), 0).whenComplete((r, e) ->
                        lowerDone().post(new EngineInput.DiskIoCompleted(trim.ioId(), result(r, e), null)));
            }
            case SUBMIT_DISK_ZEROES -> {
                EngineOutput.SubmitDiskZeroes zeroes = (EngineOutput.SubmitDiskZeroes) output;
                counters.lowerSubmitted();
                disk.writeZeroes(zeroes.offsetBytes(), zeroes.lengthBytes(), 0, zeroes.mayUnmap(), false)
                        .whenComplete((r, e) -> lowerDone().post(new EngineInput.DiskIoCompleted(zeroes.ioId(),
                                result(r, e), null)));
            }
            case WRITE_METADATA -> writeMetadata((EngineOutput.WriteMetadata) output);
            case WRITE_ACTIVITY_LOG -> writeActivityLog((EngineOutput.WriteActivityLog) output);
            case COMPLETE_REQUEST -> complete((EngineOutput.CompleteRequest) output);
            case ARM_TIMER -> armTimer((EngineOutput.ArmTimer) output);
            case CANCEL_TIMER -> {
                ScheduledFuture<?> timer = timers.remove(((EngineOutput.CancelTimer) output).timerId());
                if (timer != null) {
                    timer.cancel(false);
                }
            }
            case EMIT_EVENT -> {
                Events2Line line = ((EngineOutput.EmitEvent) output).line();
                for (Consumer<Events2Line> listener : eventListeners) {
                    listener.accept(line);
                }
            }
            case LOG -> LOG.info(() -> name + ": " + ((EngineOutput.Log) output).text());
            case ADMIN_REPLY -> {
                EngineOutput.AdminReply reply = (EngineOutput.AdminReply) output;
                CompletableFuture<StateChangeResult> future = adminReplies.remove(reply.replyId());
                if (future != null) {
                    future.complete(reply.result());
                }
            }
            default -> throw new IllegalStateException("unhandled engine output " + output.kind());
        }
    }

    private PeerLink linkFor(int peerNodeId) {
        PeerLink link = link(peerNodeId);
        if (link == null) {
            throw new IllegalStateException(name + ": engine addressed unknown peer node-id " + peerNodeId);
        }
        return link;
    }

    /** Counts the completion of a local I/O; returns this for chaining into {@link #post}. */
    private ResourceRuntime lowerDone() {
        counters.lowerCompleted();
        return this;
    }

    private void send(EngineOutput.SendPacket send) {
        if (send.packet() instanceof PayloadHolder holder) {
            counters.sent(send.peerNodeId(), holder.data().readableBytes());
        }
        try {
            linkFor(send.peerNodeId()).send(send.socket(), send.packet());
        } finally {
            if (send.packet() instanceof PayloadHolder holder) {
                holder.release();
            }
        }
    }

    private void diskRead(EngineOutput.SubmitDiskRead read) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(read.lengthBytes());
        counters.lowerSubmitted();
        disk.read(read.offsetBytes(), read.lengthBytes(), buffer).whenComplete((r, e) -> {
            counters.lowerCompleted();
            IoResult result = result(r, e);
            if (result.ok()) {
                counters.diskRead(read.lengthBytes());
                post(new EngineInput.DiskIoCompleted(read.ioId(), result, buffer));
            } else {
                buffer.release();
                post(new EngineInput.DiskIoCompleted(read.ioId(), result, null));
            }
        });
    }

    private void diskWrite(EngineOutput.SubmitDiskWrite write) {
        ByteBuf data = write.data();
        int lengthBytes = data.readableBytes();
        counters.lowerSubmitted();
        CompletableFuture<IoResult> done;
        if ((write.flags() & EngineInput.FLAG_PREFLUSH) != 0) {
            done = disk.flush().thenCompose(r -> r.ok() ? disk.write(write.offsetBytes(), data, diskFlags(write))
                    : CompletableFuture.completedFuture(r));
        } else {
            done = disk.write(write.offsetBytes(), data, diskFlags(write));
        }
        done.whenComplete((r, e) -> {
            counters.lowerCompleted();
            IoResult result = result(r, e);
            if (result.ok()) {
                counters.diskWritten(lengthBytes);
            }
            data.release();
            post(new EngineInput.DiskIoCompleted(write.ioId(), result, null));
        });
    }

    private static int diskFlags(EngineOutput.SubmitDiskWrite write) {
        return (write.flags() & EngineInput.FLAG_FUA) != 0 ? BlockDevice.FUA : 0;
    }

    private void writeMetadata(EngineOutput.WriteMetadata write) {
        Superblock updated = MetadataBridge.apply(superblock, write.record());
        counters.lowerSubmitted();
        metadataStore.writeSuperblock(updated, true).whenComplete((ignored, e) -> {
            counters.lowerCompleted();
            IoResult result;
            if (e == null) {
                counters.metadataWritten();
                result = IoResult.OK;
            } else {
                result = IoResult.failed(IoError.EIO, 0, 4096, "meta-data write failed: " + e.getMessage());
            }
            loop.execute(() -> {
                if (e == null) {
                    superblock = updated;
                }
                input(new EngineInput.MetadataWritten(write.ioId(), result));
            });
        });
    }

    /**
     * An activity-log transaction: the bitmap pages of the extents it evicts first (only when the engine's
     * bitmap has the on-disk slot layout; otherwise they stay dirty for a full write-out), then the block.
     */
    private void writeActivityLog(EngineOutput.WriteActivityLog write) {
        // Pages are encoded here, on the engine's loop, so no other thread reads the bitmap.
        CompletableFuture<Void> pages = CompletableFuture.completedFuture(null);
        io.jdrbd.metadata.Bitmap bitmap = engine.bitmap();
        if (bitmap.maxPeers() == superblock.maxPeers()) {
            for (int page : write.bitmapPages()) {
                byte[] bytes = new byte[4096];
                bitmap.encodePage(page, java.nio.ByteBuffer.wrap(bytes));
                bitmap.markClean(page);
                long offset = metadataStore.pageOffset(page);
                pages = pages.thenCompose(ignored ->
                        MetadataStore.writeBytes(metadataStore.device(), offset, bytes, 0))
                        .thenRun(counters::bitmapPageWritten);
            }
        }
        counters.lowerSubmitted();
        pages.thenCompose(ignored -> metadataStore.writeAlTransaction(write.transaction()))
                .thenRun(counters::activityLogWritten)
                .whenComplete((ignored, e) -> {
                    counters.lowerCompleted();
                    loop.execute(() -> input(new EngineInput.MetadataWritten(write.ioId(),
                            e == null ? IoResult.OK : IoResult.failed(IoError.EIO, 0, 4096,
                                    "activity-log write failed: " + e.getMessage()))));
                });
    }

    private void complete(EngineOutput.CompleteRequest completion) {
        CompletableFuture<Completion> future = requests.remove(completion.requestId());
        if (future == null) {
            if (completion.data() != null) {
                completion.data().release();
            }
            throw new IllegalStateException(name + ": completion for unknown request " + completion.requestId());
        }
        future.complete(new Completion(completion.result(), completion.data()));
    }

    private void armTimer(EngineOutput.ArmTimer arm) {
        ScheduledFuture<?> previous = timers.remove(arm.timerId());
        if (previous != null) {
            previous.cancel(false);
        }
        long delayNs = Math.max(0, arm.deadlineNs() - System.nanoTime());
        long timerId = arm.timerId();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (timers.remove(timerId) != null) {
                input(new EngineInput.TimerExpired(timerId));
            }
        }, delayNs, TimeUnit.NANOSECONDS);
        timers.put(timerId, timer);
    }

    private static IoResult result(IoResult result, Throwable error) {
        if (error != null) {
            return IoResult.failed(IoError.EIO, 0, 0, String.valueOf(error.getMessage()));
        }
        return result;
    }

    private static void releaseInput(EngineInput input) {
        if (input instanceof EngineInput.WriteRequested write) {
            write.data().release();
        } else if (input instanceof EngineInput.DiskIoCompleted io && io.data() != null) {
            io.data().release();
        } else if (input instanceof EngineInput.PacketReceived received
                && received.packet() instanceof PayloadHolder holder) {
            holder.release();
        }
    }

    /** Stops the engine: closes links, cancels timers, fails what is still pending. */
    public CompletableFuture<Void> shutdown() {
        return this.<Void>onLoop(() -> {
            closed = true;
            for (PeerLink link : links) {
                if (link != null) {
                    link.close();
                }
            }
            for (ScheduledFuture<?> timer : timers.values()) {
                timer.cancel(false);
            }
            timers.clear();
            List<CompletableFuture<Completion>> pending = new ArrayList<>(requests.values());
            requests.clear();
            for (CompletableFuture<Completion> future : pending) {
                future.complete(new Completion(IoResult.failed(IoError.ESHUTDOWN, 0, 0, "resource " + name
                        + " is going down"), null));
            }
            return null;
        }).whenComplete((ignored, e) -> {
            disk.flush().join();
            disk.close();
            if (e != null) {
                LOG.log(Level.WARNING, name + ": shutdown", e);
            }
        });
    }
}
