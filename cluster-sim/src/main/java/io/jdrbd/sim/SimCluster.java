package io.jdrbd.sim;

import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A whole simulated cluster on one thread: N nodes, each a {@link ReplicaNode} with its data and
 * meta disks, the network between them, the clock, the history of every client operation, and the
 * checkers. This is also the scenario API: start, promote, write, read, crash, restart, partition,
 * heal, await a state, verify.
 *
 * <p>Random streams: the master generator of the seed forks, in this fixed order, one stream for
 * the network, one per data disk, one per meta disk, one per node life, and one for the workload,
 * so components never disturb each other's streams.
 */
public final class SimCluster {
    private final ClusterOptions options;
    private final ReplicaNode.Factory factory;
    private final Trace trace = new Trace();
    private final Scheduler scheduler;
    private final SimBuffers buffers;
    private final SimRandom master;
    private final SimNetwork network;
    private final SimDisk[] dataDisks;
    private final SimDisk[] metaDisks;
    private final SimRandom[] nodeRandoms;
    private final ReplicaNode[] nodes;
    private final NodeContext[] contexts;
    private final History history;
    private final Map<Long, History.Write> pendingWrites = new LinkedHashMap<>();
    private final Map<Long, PendingRead> pendingReads = new LinkedHashMap<>();
    private final Map<Long, boolean[]> pendingFlushes = new LinkedHashMap<>();
    private final List<String> stateLog = new ArrayList<>();
    private final SimRandom workloadRandom;
    private final SimRandom faultRandom;
    private long nextRequestId = 1;
    private long nextSequence = 1;
    private boolean twoPrimariesAllowed;
    private boolean finished;

    private record PendingRead(int node, long block, long invokePosition) { }

    public SimCluster(ClusterOptions options, ReplicaNode.Factory factory) {
        this.options = options;
        this.factory = factory;
        this.scheduler = new Scheduler(trace, options.maxEvents());
        this.master = new SimRandom(options.seed());
        this.buffers = new SimBuffers(options.nodeCount());
        this.network = new SimNetwork(scheduler, buffers, master.fork(), trace, options.network(),
                options.nodeCount());
        int n = options.nodeCount();
        this.dataDisks = new SimDisk[n];
        this.metaDisks = new SimDisk[n];
        this.nodeRandoms = new SimRandom[n];
        for (int i = 0; i < n; i++) {
            dataDisks[i] = new SimDisk(scheduler, master.fork(), trace, i, "data" + i, options.deviceBytes(),
                    options.disks().get(i));
            metaDisks[i] = new SimDisk(scheduler, master.fork(), trace, i, "meta" + i, ClusterOptions.META_DISK_BYTES,
                    options.disks().get(i));
            nodeRandoms[i] = master.fork();
        }
        this.workloadRandom = master.fork();
        this.faultRandom = master.fork();
        this.nodes = new ReplicaNode[n];
        this.contexts = new NodeContext[n];
        this.history = new History(options.deviceBlocks());
    }

    // ---- accessors ------------------------------------------------------------------------------

    public ClusterOptions options() {
        return options;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Trace trace() {
        return trace;
    }

    public SimBuffers buffers() {
        return buffers;
    }

    public SimNetwork network() {
        return network;
    }

    public SimDisk dataDisk(int node) {
        return dataDisks[node];
    }

    public SimDisk metaDisk(int node) {
        return metaDisks[node];
    }

    public History history() {
        return history;
    }

    public SimRandom workloadRandom() {
        return workloadRandom;
    }

    /** The stream fault injection draws from (separate from the workload's). */
    public SimRandom faultRandom() {
        return faultRandom;
    }

    public long nowNs() {
        return scheduler.nowNs();
    }

    public boolean isUp(int node) {
        return nodes[node] != null;
    }

    public NodeView view(int node) {
        return nodes[node] == null ? NodeView.DOWN : nodes[node].view();
    }

    /** The events2 lines every node reported, prefixed by time and node, oldest first. */
    public List<String> stateLog() {
        return stateLog;
    }

    /** The node that is Primary, or -1 (the lowest id when several are). */
    public int primary() {
        for (int i = 0; i < nodes.length; i++) {
            if ("Primary".equals(view(i).role())) {
                return i;
            }
        }
        return -1;
    }

    // ---- nodes ------------------------------------------------------------------------------------

    public void startNodes() {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
    }

    public void start(int node) {
        if (nodes[node] != null) {
            throw new IllegalStateException("node " + node + " is already up");
        }
        contexts[node] = new NodeContext(this, node, nodeRandoms[node].fork(), buffers.startLife(node));
        nodes[node] = factory.create(contexts[node]);
        trace.event(TraceKind.NODE_RESTART, scheduler.nowNs(), node, 0, 0);
        guarded(() -> nodes[node].start());
    }

    /** The host crashes without shutdown: power cut on its disks, its network vanishes. */
    public void crash(int node) {
        if (nodes[node] == null) {
            throw new IllegalStateException("node " + node + " is already down");
        }
        trace.event(TraceKind.NODE_CRASH, scheduler.nowNs(), node, 0, 0);
        contexts[node].kill();
        network.crash(node);
        dataDisks[node].powerCut();
        metaDisks[node].powerCut();
        guarded(() -> nodes[node].crash());
        buffers.abandonLife(node);
        nodes[node] = null;
        for (History.Write write : new ArrayList<>(pendingWrites.values())) {
            if (write.node() == node) {
                history.unknown(write);
            }
        }
        pendingWrites.values().removeIf(write -> write.node() == node);
        pendingReads.values().removeIf(read -> read.node() == node);
    }

    /**
     * Lets every up node settle before the end-of-run checks: client requests complete, and a flush on
     * each node drains its transfer log (epochs barrier-acked), so what remains in a node's memory at
     * shutdown is a leak.
     */
    public void settle(long timeoutNs) {
        awaitQuiet(timeoutNs);
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null && "Primary".equals(view(i).role())) {
                flushAndWait(i);
            }
        }
        runFor(1_000_000_000L);
    }

    public void restart(int node) {
        start(node);
    }

    // ---- admin --------------------------------------------------------------------------------

    /** Runs an admin action and waits (virtual time) for its reply. */
    public ReplicaNode.AdminResult admin(int node, ReplicaNode.AdminAction action, int peer) {
        requireUp(node);
        trace.event(TraceKind.ADMIN, scheduler.nowNs(), node, action + " " + peer);
        ReplicaNode.AdminResult[] reply = new ReplicaNode.AdminResult[1];
        guarded(() -> nodes[node].admin(action, peer, result -> reply[0] = result));
        runUntil(() -> reply[0] != null, scheduler.nowNs() + 30_000_000_000L,
                "reply to " + action + " on node " + node);
        return reply[0];
    }

    /** Promotes {@code node}; fails the scenario if DRBD's rules refuse it. */
    public void promote(int node) {
        ReplicaNode.AdminResult result = admin(node, ReplicaNode.AdminAction.PRIMARY, -1);
        if (!result.ok()) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS, "promotion of node " + node + " refused: "
                    + result.message());
        }
    }

    /** Forced promotion (`primary --force`): a second Primary may legitimately exist after it. */
    public ReplicaNode.AdminResult forcePromote(int node) {
        twoPrimariesAllowed = true;
        return admin(node, ReplicaNode.AdminAction.PRIMARY_FORCE, -1);
    }

    public ReplicaNode.AdminResult demote(int node) {
        return admin(node, ReplicaNode.AdminAction.SECONDARY, -1);
    }

    // ---- client operations --------------------------------------------------------------------------

    /** Starts a write of {@code blocks} stamped 4 KiB blocks at {@code firstBlock} on {@code node}. */
    public History.Write write(int node, long firstBlock, int blocks) {
        return write(node, firstBlock, blocks, 0);
    }

    public History.Write write(int node, long firstBlock, int blocks, int flags) {
        requireUp(node);
        long tag = BlockTag.tag(node, nextSequence++);
        History.Write write = history.invokeWrite(tag, node, firstBlock, blocks, scheduler.nowNs());
        long requestId = nextRequestId++;
        pendingWrites.put(requestId, write);
        trace.event(TraceKind.CLIENT_INVOKE, scheduler.nowNs(), node, requestId, tag);
        ByteBuf data = contexts[node].allocator().heapBuffer(blocks * BlockTag.BLOCK_BYTES,
                blocks * BlockTag.BLOCK_BYTES);
        BlockTag.stamp(data, tag, firstBlock * BlockTag.BLOCK_BYTES, blocks);
        guarded(() -> nodes[node].submitWrite(requestId, firstBlock * BlockTag.BLOCK_BYTES, data, flags));
        return write;
    }

    /** Writes and waits for the completion; returns the write (acknowledged or failed). */
    public History.Write writeAndWait(int node, long firstBlock, int blocks) {
        History.Write write = write(node, firstBlock, blocks);
        runUntil(() -> write.status() != History.Status.PENDING, scheduler.nowNs() + 60_000_000_000L,
                "completion of " + write);
        return write;
    }

    /** Starts a read of one block on {@code node}; the result lands in the history. */
    public void read(int node, long block) {
        requireUp(node);
        long requestId = nextRequestId++;
        pendingReads.put(requestId, new PendingRead(node, block, history.invokeRead()));
        trace.event(TraceKind.CLIENT_INVOKE, scheduler.nowNs(), node, requestId, -block);
        guarded(() -> nodes[node].submitRead(requestId, block * BlockTag.BLOCK_BYTES, BlockTag.BLOCK_BYTES));
    }

    /** True when a write still in flight covers any of the blocks {@code [first, first + blocks)}. */
    public boolean overlapsPendingWrite(long first, int blocks) {
        for (History.Write write : pendingWrites.values()) {
            if (write.firstBlock() < first + blocks && first < write.firstBlock() + write.blockCount()) {
                return true;
            }
        }
        return false;
    }

    public int pendingWriteCount() {
        return pendingWrites.size();
    }

    /** Flushes {@code node} and waits: every write completed before is durable locally and on the peers. */
    public boolean flushAndWait(int node) {
        requireUp(node);
        long requestId = nextRequestId++;
        boolean[] done = new boolean[2];
        pendingFlushes.put(requestId, done);
        trace.event(TraceKind.CLIENT_INVOKE, scheduler.nowNs(), node, requestId, 0);
        guarded(() -> nodes[node].submitFlush(requestId));
        runUntil(() -> done[0] || nodes[node] == null, scheduler.nowNs() + 60_000_000_000L,
                "completion of a flush on node " + node);
        return done[1];
    }

    void onWriteCompleted(int node, long requestId, IoResult result) {
        boolean[] flush = pendingFlushes.remove(requestId);
        if (flush != null) {
            trace.event(TraceKind.CLIENT_COMPLETE, scheduler.nowNs(), node, requestId, result.ok() ? 0 : 1);
            flush[0] = true;
            flush[1] = result.ok();
            return;
        }
        History.Write write = pendingWrites.remove(requestId);
        if (write == null) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS, "node " + node + " completed unknown or already"
                    + " completed write request " + requestId);
        }
        trace.event(TraceKind.CLIENT_COMPLETE, scheduler.nowNs(), node, requestId, result.ok() ? 0 : 1);
        history.complete(write, result.ok(), scheduler.nowNs());
    }

    void onReadCompleted(int node, long requestId, IoResult result, ByteBuf data) {
        PendingRead read = pendingReads.remove(requestId);
        try {
            if (read == null) {
                throw new SimFailure(SimFailure.Kind.CORRECTNESS, "node " + node + " completed unknown read "
                        + requestId);
            }
            long tag = BlockTag.DAMAGED;
            if (result.ok() && data != null && data.readableBytes() == BlockTag.BLOCK_BYTES) {
                byte[] bytes = new byte[BlockTag.BLOCK_BYTES];
                data.getBytes(data.readerIndex(), bytes);
                tag = BlockTag.decode(bytes, 0, read.block() * BlockTag.BLOCK_BYTES);
            }
            trace.event(TraceKind.CLIENT_COMPLETE, scheduler.nowNs(), node, requestId, tag);
            history.completeRead(node, read.block(), read.invokePosition(), tag, result.ok());
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }

    void onStateChanged(int node, String line) {
        trace.event(TraceKind.STATE_EVENT, scheduler.nowNs(), node, line);
        stateLog.add(scheduler.nowNs() + " n" + node + " " + line);
        if (!twoPrimariesAllowed) {
            int primaries = 0;
            for (int i = 0; i < nodes.length; i++) {
                primaries += "Primary".equals(view(i).role()) ? 1 : 0;
            }
            if (primaries > 1) {
                throw new SimFailure(SimFailure.Kind.CORRECTNESS, primaries + " nodes are Primary at "
                        + scheduler.nowNs() + " ns without allow-two-primaries or a forced promotion");
            }
        }
    }

    // ---- network faults -----------------------------------------------------------------------------

    public void partition(int a, int b) {
        network.partition(a, b);
    }

    public void isolate(int node) {
        network.isolate(node);
    }

    /** Fault: {@code node} drops incoming {@code packetType} packets from {@code fromPeer} for a while. */
    public void dropIncoming(int node, int fromPeer, io.jdrbd.replication.wire.PacketType packetType,
                             long durationNs) {
        requireUp(node);
        trace.event(TraceKind.FAULT, scheduler.nowNs(), node, "drop " + packetType + " from " + fromPeer);
        if (!nodes[node].dropIncoming(fromPeer, packetType, scheduler.nowNs() + durationNs)) {
            throw new UnsupportedOperationException("node " + node + " cannot drop packets");
        }
    }

    public void heal() {
        network.healAll();
    }

    public void resetConnections(int a, int b) {
        network.reset(a, b);
    }

    // ---- running and waiting -----------------------------------------------------------------------

    /** Lets virtual time pass, running everything that happens meanwhile. */
    public void runFor(long durationNs) {
        long deadline = scheduler.nowNs() + durationNs;
        guarded(() -> scheduler.runUntil(() -> false, deadline));
    }

    /** Runs until {@code condition} holds; a liveness failure naming {@code what} after {@code timeoutNs}. */
    public void awaitState(String what, BooleanSupplier condition, long timeoutNs) {
        runUntil(condition, scheduler.nowNs() + timeoutNs, what);
    }

    /** Every pair of up nodes connected and established, every disk UpToDate. */
    public boolean allConnectedAndUpToDate() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == null) {
                return false;
            }
            NodeView view = nodes[i].view();
            if (!"UpToDate".equals(view.disk())) {
                return false;
            }
            for (int peer = 0; peer < nodes.length; peer++) {
                if (peer != i && !("Connected".equals(view.connection(peer))
                        && "Established".equals(view.replication(peer))
                        && "UpToDate".equals(view.peerDisk(peer)))) {
                    return false;
                }
            }
        }
        return true;
    }

    public void awaitAllConnected(long timeoutNs) {
        awaitState("all nodes Connected, Established and UpToDate", this::allConnectedAndUpToDate, timeoutNs);
    }

    /** Waits until {@code node} no longer sees {@code peer} as Connected (e.g. its ping timed out). */
    public void awaitPeerLoss(int node, int peer, long timeoutNs) {
        awaitState("node " + node + " notices that node " + peer + " is gone",
                () -> !"Connected".equals(view(node).connection(peer)), timeoutNs);
    }

    /**
     * Replication has drained: nothing in flight on the network, no disk I/O pending anywhere, and
     * every up node idle. A replica that still differs from the primary now is divergent, not lagging.
     */
    public boolean drained() {
        if (network.bytesInFlight() != 0) {
            return false;
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == null) {
                continue;
            }
            if (dataDisks[i].inFlightCount() != 0 || metaDisks[i].inFlightCount() != 0 || !nodes[i].idle()) {
                return false;
            }
        }
        return true;
    }

    private String drainStatus() {
        StringBuilder out = new StringBuilder("network bytes in flight " + network.bytesInFlight()
                + network.describeInFlight());
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                out.append("; node ").append(i).append(" disk I/O ").append(dataDisks[i].inFlightCount()).append('+')
                        .append(metaDisks[i].inFlightCount()).append(" requests ").append(view(i).pendingRequests())
                        .append(nodes[i].idle() ? " idle" : " busy");
            }
        }
        return out.toString();
    }

    /**
     * Waits until {@link #drained} holds, lets a ping interval pass (a node idle only while it waits
     * for a timer would act now), and waits until it holds again.
     */
    public void awaitDrained(long timeoutNs) {
        long deadline = scheduler.nowNs() + timeoutNs;
        runUntilDrained(deadline);
        runFor(1_000_000_000L);
        runUntilDrained(Math.max(deadline, scheduler.nowNs() + 1_000_000_000L));
    }

    private void runUntilDrained(long deadline) {
        boolean[] reached = new boolean[1];
        guarded(() -> reached[0] = scheduler.runUntil(this::drained, deadline));
        if (!reached[0]) {
            throw new SimFailure(SimFailure.Kind.LIVENESS, "not reached by " + deadline
                    + " ns: replication drained (network, disks and nodes idle): " + drainStatus()
                    + describeStates());
        }
    }

    /** Waits until every outstanding client request completed. */
    public void awaitQuiet(long timeoutNs) {
        awaitState("every client request completed", () -> pendingWrites.isEmpty() && pendingReads.isEmpty(),
                timeoutNs);
    }

    private void runUntil(BooleanSupplier condition, long deadlineNs, String what) {
        boolean[] reached = new boolean[1];
        guarded(() -> reached[0] = scheduler.runUntil(condition, deadlineNs));
        if (!reached[0]) {
            throw new SimFailure(SimFailure.Kind.LIVENESS, "not reached by " + deadlineNs + " ns: " + what
                    + describeStates());
        }
    }

    /** Runs node code; an assertion inside it is an assertion failure of the run. */
    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (SimFailure failure) {
            throw failure;
        } catch (AssertionError | RuntimeException e) {
            throw new SimFailure(SimFailure.Kind.ASSERTION, "at " + scheduler.nowNs() + " ns: " + e, e);
        }
    }

    public String describeStates() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.length; i++) {
            NodeView view = view(i);
            out.append("\n  node ").append(i).append(nodes[i] == null ? " (down)" : "").append(" role:")
                    .append(view.role()).append(" disk:").append(view.disk());
            for (int peer = 0; peer < nodes.length; peer++) {
                if (peer != i) {
                    out.append(" | peer ").append(peer).append(" connection:").append(view.connection(peer))
                            .append(" replication:").append(view.replication(peer)).append(" peer-disk:")
                            .append(view.peerDisk(peer));
                }
            }
            if (nodes[i] != null) {
                java.util.List<String> log = nodes[i].recentLog();
                for (String line : log.subList(Math.max(0, log.size() - 8), log.size())) {
                    out.append("\n    log: ").append(line);
                }
            }
        }
        return out.toString();
    }

    private void requireUp(int node) {
        if (nodes[node] == null) {
            throw new IllegalStateException("node " + node + " is down");
        }
    }

    // ---- checks -----------------------------------------------------------------------------------

    private void failIfAny(List<String> violations) {
        if (!violations.isEmpty()) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS, String.join("\n", violations));
        }
    }

    /** Protocol C after a single failure: {@code node}'s data holds every acknowledged write. */
    public void verifyNoAcknowledgedWriteLost(int node) {
        DataChecker.BlockSource source = DataChecker.of(dataDisks[node]);
        failIfAny(DataChecker.nothingInvented(history, source, "node " + node));
        failIfAny(DataChecker.noAcknowledgedWriteLost(history, source, "node " + node));
    }

    /** Protocols A/B: {@code node}'s data is a prefix of the primary's writes, nothing invented. */
    public void verifyPrefix(int node) {
        DataChecker.BlockSource source = DataChecker.of(dataDisks[node]);
        failIfAny(DataChecker.nothingInvented(history, source, "node " + node));
        failIfAny(DataChecker.prefixOfWrites(history, source, "node " + node));
    }

    /** Every read saw data no older than the writes acknowledged before it. */
    public void verifyReads() {
        failIfAny(DataChecker.readsSawCurrentData(history));
    }

    /** Every up node's data area is byte-identical (the end state after convergence). */
    public void verifyIdenticalData() {
        int reference = -1;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == null) {
                continue;
            }
            if (reference < 0) {
                reference = i;
                continue;
            }
            long page = dataDisks[reference].firstDifferentPage(dataDisks[i], options.deviceBytes());
            if (page >= 0) {
                long tagA = DataChecker.of(dataDisks[reference]).tagAt(page);
                long tagB = DataChecker.of(dataDisks[i]).tagAt(page);
                throw new SimFailure(SimFailure.Kind.CORRECTNESS, "nodes " + reference + " and " + i
                        + " report UpToDate but differ at block " + page + ": " + BlockTag.format(tagA) + " vs "
                        + BlockTag.format(tagB));
            }
        }
    }

    /** Ends the run: stop every node, drop the network, and require every buffer released. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                contexts[i].kill();
                int node = i;
                guarded(() -> nodes[node].shutdown());
                buffers.retireLife(i);
                nodes[i] = null;
            }
        }
        network.shutdown();
        buffers.assertNoLiveBuffers("at the end of the run");
    }
}
