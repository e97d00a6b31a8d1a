package io.jdrbd.sim;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.Buggify;
import io.jdrbd.replication.engine.Engine;
import io.jdrbd.replication.engine.EngineConfig;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.engine.EngineOutput;
import io.jdrbd.replication.engine.Entropy;
import io.jdrbd.replication.engine.MetadataRecord;
import io.jdrbd.replication.engine.Outputs;
import io.jdrbd.replication.engine.Protocol;
import io.jdrbd.replication.wire.PayloadHolder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One simulated node running the real replication engine: it turns every simulated happening (bytes
 * decoded from the network, disk completions, timers, client requests, admin commands) into an
 * {@link EngineInput}, calls {@link Engine#handle} with the virtual time, and carries out the
 * {@link EngineOutput}s through the simulated network, disks and clock. Inputs that arrive while a
 * step runs are queued, so the engine is never re-entered.
 */
public final class EngineNode implements ReplicaNode {
    /** Name of the simulated resource. */
    public static final String RESOURCE = "r0";

    private final NodeContext context;
    private final EngineConfig config;
    private final Engine engine;
    private final Outputs outputs = new Outputs();
    private final EngineTransport transport;
    private final EngineView view = new EngineView();
    private final Map<Long, Scheduler.Event> timers = new TreeMap<>();
    private final Map<Long, Consumer<AdminResult>> adminReplies = new TreeMap<>();
    private final Map<Long, ByteBuf> diskBuffers = new TreeMap<>();
    private final TreeSet<Long> readRequests = new TreeSet<>();
    private final ArrayDeque<EngineInput> queued = new ArrayDeque<>();
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private long nextReplyId = 1;
    private int pendingRequests;
    private boolean stepping;
    private boolean dead;
    /** Canary only: complete writes when the local disk write is done, ignoring the peers. */
    private final boolean ackOnLocalWrite;
    private final Map<Long, Long> earlyAckIoToRequest = new TreeMap<>();
    private final TreeSet<Long> earlyAcked = new TreeSet<>();
    private long stepWriteRequestId = -1;

    private EngineNode(NodeContext context, UnaryOperator<EngineConfig.Builder> tuning, Buggify buggify,
                       boolean ackOnLocalWrite) {
        this.context = context;
        this.ackOnLocalWrite = ackOnLocalWrite;
        this.config = tuning.apply(baseConfig(context)).build();
        MetadataRecord metadata = MetadataStore.decode(context.metaDisk().peek(0, MetadataStore.RECORD_BYTES));
        if (metadata == null) {
            // first boot: create-md plus new-current-uuid --clear-bitmap on every node, i.e. a cluster
            // whose nodes start UpToDate with one shared generation (drawn from the seed)
            context.metaDisk().poke(0, initialMetadata(SimRandom.splitmix(context.options().seed())));
            metadata = MetadataStore.decode(context.metaDisk().peek(0, MetadataStore.RECORD_BYTES));
        }
        this.engine = new Engine(config, metadata, Entropy.seeded(context.random().nextLong()), buggify);
        this.transport = new EngineTransport(context, this::input, config.connectIntNs());
    }

    /** The real engine with DRBD's defaults, shortened timers for simulation, and Buggify off. */
    public static ReplicaNode.Factory factory() {
        return factory(UnaryOperator.identity(), false);
    }

    /**
     * The real engine with extra configuration and, when {@code buggify} is set, seeded Buggify: each
     * node life enables it with its own stream (1 in 50 calls of an enabled site fire).
     */
    public static ReplicaNode.Factory factory(UnaryOperator<EngineConfig.Builder> tuning, boolean buggify) {
        return context -> new EngineNode(context, tuning, buggify ? seededBuggify(context.random().fork())
                : Buggify.OFF, false);
    }

    /**
     * A deliberately broken variant for canary tests: the driver completes every write as soon as the
     * local disk write is done, without waiting for the peers (protocol C acking before P_WRITE_ACK).
     * The checkers must catch it losing acknowledged writes at a failover.
     */
    public static ReplicaNode.Factory brokenAckOnLocalWrite() {
        return context -> new EngineNode(context, UnaryOperator.identity(), Buggify.OFF, true);
    }

    private static Buggify seededBuggify(SimRandom random) {
        return site -> random.chance(20_000);
    }

    private static EngineConfig.Builder baseConfig(NodeContext context) {
        EngineConfig.Builder builder = EngineConfig.builder(RESOURCE, context.nodeId(), context.options().deviceBytes())
                .minor(0)
                .backingDev("/dev/sim" + context.nodeId())
                .protocol(Protocol.valueOf(String.valueOf(context.options().protocol())))
                .pingIntNs(1_000_000_000L)
                .pingTimeoutNs(500_000_000L)
                .connectIntNs(1_000_000_000L);
        for (int peer = 0; peer < context.nodeCount(); peer++) {
            if (peer != context.nodeId()) {
                builder.peer(peer, "node" + peer);
            }
        }
        return builder;
    }

    /** The meta-data of a freshly created, already-synchronised cluster (skip-initial-sync). */
    static byte[] initialMetadata(long clusterUuid) {
        return MetadataStore.encode(MetadataRecord.upToDate(clusterUuid & ~1L));
    }

    // ---- the step loop --------------------------------------------------------------------------

    private void input(EngineInput input) {
        if (dead) {
            releaseInput(input);
            return;
        }
        queued.addLast(input);
        if (stepping) {
            return;
        }
        stepping = true;
        try {
            while (!queued.isEmpty() && !dead) {
                EngineInput next = queued.pollFirst();
                stepWriteRequestId = next instanceof EngineInput.WriteRequested write ? write.requestId() : -1;
                context.trace().event(TraceKind.ENGINE_INPUT, context.nowNs(), context.nodeId(), next.kind().ordinal(),
                        0);
                engine.handle(next, context.nowNs(), outputs);
                outputs.drainTo(this::carryOut);
            }
        } finally {
            stepping = false;
        }
    }

    private void carryOut(EngineOutput output) {
        context.trace().event(TraceKind.ENGINE_OUTPUT, context.nowNs(), context.nodeId(), output.kind().ordinal(), 0);
        switch (output.kind()) {
            case SEND_PACKET -> {
                EngineOutput.SendPacket send = (EngineOutput.SendPacket) output;
                transport.send(send.peerNodeId(), send.socket(), send.packet());
                if (send.packet() instanceof PayloadHolder holder) {
                    holder.release(); // the encoder took its own reference
                }
            }
            case OPEN_TRANSPORT -> transport.open(((EngineOutput.OpenTransport) output).peerNodeId());
            case CLOSE_TRANSPORT -> transport.close(((EngineOutput.CloseTransport) output).peerNodeId());
            case PAUSE_RECEIVE -> {
                EngineOutput.PauseReceive pause = (EngineOutput.PauseReceive) output;
                transport.pauseReceive(pause.peerNodeId(), pause.paused());
            }
            case SUBMIT_DISK_READ, SUBMIT_DISK_WRITE, SUBMIT_DISK_FLUSH, SUBMIT_DISK_TRIM, SUBMIT_DISK_ZEROES ->
                    submitDisk(output);
            case WRITE_METADATA -> writeMetadata((EngineOutput.WriteMetadata) output);
            case WRITE_ACTIVITY_LOG -> writeActivityLog((EngineOutput.WriteActivityLog) output);
            case COMPLETE_REQUEST -> complete((EngineOutput.CompleteRequest) output);
            case ARM_TIMER -> arm((EngineOutput.ArmTimer) output);
            case CANCEL_TIMER -> {
                Scheduler.Event timer = timers.remove(((EngineOutput.CancelTimer) output).timerId());
                if (timer != null) {
                    timer.cancel();
                }
            }
            case EMIT_EVENT -> {
                context.stateChanged(((EngineOutput.EmitEvent) output).line().text());
            }
            case LOG -> remember(((EngineOutput.Log) output).text());
            case ADMIN_REPLY -> {
                EngineOutput.AdminReply reply = (EngineOutput.AdminReply) output;
                Consumer<AdminResult> callback = adminReplies.remove(reply.replyId());
                if (callback != null) {
                    callback.accept(new AdminResult(reply.ok(), reply.result().code() + " " + reply.result().text()));
                }
            }
            default -> throw new AssertionError("unhandled engine output " + output.kind());
        }
    }

    private void remember(String text) {
        if (log.size() == 64) {
            log.removeFirst();
        }
        log.addLast(context.nowNs() + " " + text);
        context.trace().note(context.nowNs(), context.nodeId(), "log " + text);
    }

    private void arm(EngineOutput.ArmTimer arm) {
        Scheduler.Event old = timers.remove(arm.timerId());
        if (old != null) {
            old.cancel();
        }
        long delay = Math.max(0, arm.deadlineNs() - context.nowNs());
        long timerId = arm.timerId();
        timers.put(timerId, context.after(delay, () -> {
            timers.remove(timerId);
            input(new EngineInput.TimerExpired(timerId));
        }));
    }

    private void complete(EngineOutput.CompleteRequest completion) {
        pendingRequests--;
        if (readRequests.remove(completion.requestId())) {
            context.completeRead(completion.requestId(), completion.result(), completion.data());
            return;
        }
        if (completion.data() != null) {
            completion.data().release();
        }
        if (earlyAcked.remove(completion.requestId())) {
            return; // the canary already told the client
        }
        context.completeWrite(completion.requestId(), completion.result());
    }

    // ---- disks ---------------------------------------------------------------------------------

    private void submitDisk(EngineOutput output) {
        SimDisk disk = context.dataDisk();
        switch (output.kind()) {
            case SUBMIT_DISK_READ -> {
                EngineOutput.SubmitDiskRead read = (EngineOutput.SubmitDiskRead) output;
                ByteBuf target = context.allocator().heapBuffer(read.lengthBytes(), read.lengthBytes());
                diskBuffers.put(read.ioId(), target);
                disk.read(read.offsetBytes(), read.lengthBytes(), target, result -> {
                    diskBuffers.remove(read.ioId());
                    if (!result.ok()) {
                        target.release();
                    }
                    input(new EngineInput.DiskIoCompleted(read.ioId(), result, result.ok() ? target : null));
                });
            }
            case SUBMIT_DISK_WRITE -> {
                EngineOutput.SubmitDiskWrite write = (EngineOutput.SubmitDiskWrite) output;
                if (ackOnLocalWrite && stepWriteRequestId >= 0) {
                    earlyAckIoToRequest.put(write.ioId(), stepWriteRequestId);
                }
                diskBuffers.put(write.ioId(), write.data());
                int flags = (write.flags() & EngineInput.FLAG_FUA) != 0 ? io.jdrbd.blockdev.BlockDevice.FUA : 0;
                Runnable doWrite = () -> disk.write(write.offsetBytes(), write.data(), flags, result -> {
                    diskBuffers.remove(write.ioId()).release();
                    Long early = earlyAckIoToRequest.remove(write.ioId());
                    if (early != null && result.ok()) {
                        earlyAcked.add(early);
                        context.completeWrite(early, result);
                    }
                    input(new EngineInput.DiskIoCompleted(write.ioId(), result, null));
                });
                if ((write.flags() & EngineInput.FLAG_PREFLUSH) != 0) {
                    disk.flush(flushed -> doWrite.run());
                } else {
                    doWrite.run();
                }
            }
            case SUBMIT_DISK_FLUSH -> {
                long ioId = ((EngineOutput.SubmitDiskFlush) output).ioId();
                disk.flush(result -> input(new EngineInput.DiskIoCompleted(ioId, result, null)));
            }
            case SUBMIT_DISK_TRIM -> {
                EngineOutput.SubmitDiskTrim trim = (EngineOutput.SubmitDiskTrim) output;
                disk.zero(trim.offsetBytes(), trim.lengthBytes(), 0,
                        result -> input(new EngineInput.DiskIoCompleted(trim.ioId(), result, null)));
            }
            default -> {
                EngineOutput.SubmitDiskZeroes zeroes = (EngineOutput.SubmitDiskZeroes) output;
                disk.zero(zeroes.offsetBytes(), zeroes.lengthBytes(), 0,
                        result -> input(new EngineInput.DiskIoCompleted(zeroes.ioId(), result, null)));
            }
        }
    }

    private void writeMetadata(EngineOutput.WriteMetadata write) {
        ByteBuf bytes = Unpooled.wrappedBuffer(MetadataStore.encode(write.record()));
        context.metaDisk().write(0, bytes, io.jdrbd.blockdev.BlockDevice.FUA,
                result -> input(new EngineInput.MetadataWritten(write.ioId(), result)));
    }

    /** Meta disk layout of the simulator: record, then the AL ring, then the bitmap pages. */
    private static final long AL_RING_OFFSET = 4096;
    private static final int AL_RING_SLOTS = 64;
    private static final long BITMAP_OFFSET = AL_RING_OFFSET + AL_RING_SLOTS * 4096L;

    /** Bitmap pages of the evicted extents first, then the transaction block with FUA (DRBD's order). */
    private void writeActivityLog(EngineOutput.WriteActivityLog write) {
        int[] pages = write.bitmapPages();
        int[] remaining = {pages.length};
        IoResult[] firstError = {IoResult.OK};
        Runnable writeBlock = () -> {
            byte[] block = write.transaction().block();
            long slot = Math.floorMod(write.transaction().trNumber(), AL_RING_SLOTS);
            context.metaDisk().write(AL_RING_OFFSET + slot * 4096, Unpooled.wrappedBuffer(block),
                    io.jdrbd.blockdev.BlockDevice.FUA, result -> input(new EngineInput.MetadataWritten(write.ioId(),
                            firstError[0].ok() ? result : firstError[0])));
        };
        if (pages.length == 0) {
            writeBlock.run();
            return;
        }
        for (int page : pages) {
            byte[] bytes = new byte[4096];
            engine.bitmap().encodePage(page, java.nio.ByteBuffer.wrap(bytes));
            engine.bitmap().markClean(page);
            context.metaDisk().write(BITMAP_OFFSET + page * 4096L, Unpooled.wrappedBuffer(bytes), 0, result -> {
                if (!result.ok() && firstError[0].ok()) {
                    firstError[0] = result;
                }
                if (--remaining[0] == 0) {
                    writeBlock.run();
                }
            });
        }
    }

    // ---- ReplicaNode ---------------------------------------------------------------------------

    @Override
    public void start() {
        transport.start();
        admin(AdminAction.CONNECT, EngineInput.AdminCommand.ALL_PEERS, result -> { });
    }

    @Override
    public void submitWrite(long requestId, long offsetBytes, ByteBuf data, int flags) {
        pendingRequests++;
        int engineFlags = (flags & io.jdrbd.blockdev.BlockDevice.FUA) != 0 ? EngineInput.FLAG_FUA : 0;
        input(new EngineInput.WriteRequested(requestId, offsetBytes, data, engineFlags));
    }

    @Override
    public void submitFlush(long requestId) {
        pendingRequests++;
        input(new EngineInput.FlushRequested(requestId));
    }

    @Override
    public void submitRead(long requestId, long offsetBytes, int lengthBytes) {
        pendingRequests++;
        readRequests.add(requestId);
        input(new EngineInput.ReadRequested(requestId, offsetBytes, lengthBytes));
    }

    @Override
    public void admin(AdminAction action, int peer, Consumer<AdminResult> reply) {
        long replyId = nextReplyId++;
        adminReplies.put(replyId, reply);
        int flags = 0;
        AdminVerb verb;
        switch (action) {
            case PRIMARY -> verb = AdminVerb.PRIMARY;
            case PRIMARY_FORCE -> {
                verb = AdminVerb.PRIMARY;
                flags = EngineInput.AdminCommand.FORCE;
            }
            case SECONDARY -> verb = AdminVerb.SECONDARY;
            case CONNECT, UP -> verb = AdminVerb.CONNECT;
            case DISCONNECT -> verb = AdminVerb.DISCONNECT;
            default -> verb = AdminVerb.DOWN;
        }
        input(new EngineInput.AdminCommand(replyId, verb, peer, flags));
    }

    @Override
    public boolean dropIncoming(int fromPeer, io.jdrbd.replication.wire.PacketType packetType, long untilNs) {
        transport.dropIncoming(fromPeer, packetType, untilNs);
        return true;
    }

    @Override
    public boolean idle() {
        return pendingRequests == 0 && diskBuffers.isEmpty() && transport.heldBytes() == 0;
    }

    @Override
    public NodeView view() {
        return view;
    }

    /** The node's states straight from the engine, in the events2 words. */
    private final class EngineView implements NodeView {
        @Override
        public String role() {
            return engine.role().drbdName();
        }

        @Override
        public String disk() {
            return engine.diskState().drbdName();
        }

        @Override
        public String connection(int peer) {
            return peer == context.nodeId() ? "StandAlone" : engine.connectionState(peer).drbdName();
        }

        @Override
        public String replication(int peer) {
            return peer == context.nodeId() ? "Off" : engine.replicationState(peer).drbdName();
        }

        @Override
        public String peerDisk(int peer) {
            return peer == context.nodeId() ? "DUnknown" : engine.peerDiskState(peer).drbdName();
        }

        @Override
        public int pendingRequests() {
            return pendingRequests;
        }
    }

    /** The engine's last log lines (why a connection failed, ...), for failure reports. */
    @Override
    public java.util.List<String> recentLog() {
        return new java.util.ArrayList<>(log);
    }

    @Override
    public void crash() {
        shutdown();
    }

    @Override
    public void shutdown() {
        dead = true;
        for (Scheduler.Event timer : timers.values()) {
            timer.cancel();
        }
        timers.clear();
        for (ByteBuf buffer : diskBuffers.values()) {
            buffer.release();
        }
        diskBuffers.clear();
        for (EngineInput input : queued) {
            releaseInput(input);
        }
        queued.clear();
        transport.shutdown();
    }

    private static void releaseInput(EngineInput input) {
        if (input instanceof EngineInput.WriteRequested write) {
            write.data().release();
        } else if (input instanceof EngineInput.PacketReceived received
                && received.packet() instanceof PayloadHolder holder) {
            holder.release();
        } else if (input instanceof EngineInput.DiskIoCompleted completed && completed.data() != null) {
            completed.data().release();
        }
    }
}
