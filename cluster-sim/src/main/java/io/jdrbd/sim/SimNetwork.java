package io.jdrbd.sim;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated network between the nodes of one run. It carries real bytes (the encoded DRBD
 * packets), in order per connection direction like TCP, but split at random boundaries, delayed by
 * a seeded latency and a per-link bandwidth, and subject to faults: connection resets, symmetric or
 * one-way partitions (bytes are held as TCP would retransmit them, connects time out), clogging
 * (a link delivers nothing until a time), and crashed hosts (their bytes vanish, their peers learn
 * of it only through their own timeouts or the reset after a restart).
 *
 * <p>Every delivery is a scheduled event; callbacks never run inside the call that caused them.
 * Buffers: {@link #send} takes ownership of the bytes; {@link Endpoint#onBytes} passes ownership of
 * each chunk to the receiver; anything dropped is released here.
 */
public final class SimNetwork {

    /** The node side of the network: what a node learns about its connections. */
    public interface Endpoint {
        /** A connection initiated by the remote node is established. */
        void onAccepted(SimConnection.End end);

        /** A connection this node initiated is established. */
        void onConnected(SimConnection.End end);

        /** A connection this node initiated failed (refused, or timed out through a partition). */
        void onConnectFailed(SimConnection.End end, String reason);

        /** Bytes arrived; the receiver owns {@code bytes} and must release it. */
        void onBytes(SimConnection.End end, ByteBuf bytes);

        /** The remote closed the connection or it was reset. */
        void onClosed(SimConnection.End end, String reason);
    }

    private final Scheduler scheduler;
    private final SimBuffers buffers;
    private final SimRandom random;
    private final Trace trace;
    private final NetworkOptions options;
    private final int nodeCount;
    private final Endpoint[] endpoints;
    private final boolean[][] blocked;
    private final long[][] clogUntilNs;
    private final long[][] linkBusyUntilNs;
    private final List<SimConnection> connections = new ArrayList<>();
    private long nextConnectionId = 1;
    private long bytesDelivered;

    public SimNetwork(Scheduler scheduler, SimBuffers buffers, SimRandom random, Trace trace, NetworkOptions options,
                      int nodeCount) {
        this.scheduler = scheduler;
        this.buffers = buffers;
        this.random = random;
        this.trace = trace;
        this.options = options;
        this.nodeCount = nodeCount;
        this.endpoints = new Endpoint[nodeCount];
        this.blocked = new boolean[nodeCount][nodeCount];
        this.clogUntilNs = new long[nodeCount][nodeCount];
        this.linkBusyUntilNs = new long[nodeCount][nodeCount];
    }

    public NetworkOptions options() {
        return options;
    }

    public long bytesDelivered() {
        return bytesDelivered;
    }

    /** The node is up and accepts connections. */
    public void attach(int node, Endpoint endpoint) {
        checkNode(node);
        if (endpoints[node] != null) {
            throw new IllegalStateException("node " + node + " is already attached");
        }
        endpoints[node] = endpoint;
        resetConnectionsOf(node, "peer host restarted (connection reset)");
    }

    /**
     * The node crashed: its unsent bytes vanish and nothing reaches it any more; its peers are not
     * told (a dead host sends no FIN), they notice by timeout, or by a reset once it restarts.
     */
    public void crash(int node) {
        checkNode(node);
        endpoints[node] = null;
        for (SimConnection connection : connections) {
            for (SimConnection.End end : ends(connection)) {
                if (end.localNode == node) {
                    end.shut = true;
                    releaseQueue(end);
                }
            }
        }
        trace.event(TraceKind.NET_FAULT, scheduler.nowNs(), node, 1, 0);
    }

    /** Opens a connection from {@code from} to {@code to} on {@code stream}; the outcome is a callback. */
    public SimConnection.End connect(int from, int to, int stream) {
        checkNode(from);
        checkNode(to);
        SimConnection connection = new SimConnection(nextConnectionId++, from, to, stream);
        connections.add(connection);
        trace.event(TraceKind.NET_CONNECT, scheduler.nowNs(), from, to, connection.id);
        if (blocked[from][to] || blocked[to][from]) {
            scheduler.after(options.connectTimeoutNs(), () -> failConnect(connection, "connection timed out"));
            return connection.initiator;
        }
        long oneWay = latency();
        scheduler.after(oneWay, () -> arriveAtAcceptor(connection));
        return connection.initiator;
    }

    private void arriveAtAcceptor(SimConnection connection) {
        if (connection.closed) {
            return;
        }
        int to = connection.acceptor.localNode;
        if (endpoints[to] == null) {
            scheduler.after(latency(), () -> failConnect(connection, "connection refused"));
            return;
        }
        connection.established = true;
        trace.event(TraceKind.NET_CONNECTED, scheduler.nowNs(), to, connection.initiator.localNode, connection.id);
        endpoints[to].onAccepted(connection.acceptor);
        scheduler.after(latency(), () -> {
            Endpoint initiator = endpoints[connection.initiator.localNode];
            if (initiator != null && !connection.initiator.shut && !connection.closed) {
                initiator.onConnected(connection.initiator);
            }
        });
    }

    private void failConnect(SimConnection connection, String reason) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        connections.remove(connection);
        trace.event(TraceKind.NET_REFUSED, scheduler.nowNs(), connection.initiator.localNode,
                connection.acceptor.localNode, connection.id);
        Endpoint initiator = endpoints[connection.initiator.localNode];
        if (initiator != null && !connection.initiator.shut) {
            initiator.onConnectFailed(connection.initiator, reason);
        }
    }

    /** Sends bytes from {@code end} to its remote; takes ownership of {@code bytes}. */
    public void send(SimConnection.End end, ByteBuf bytes) {
        if (!end.open() || end.finQueued) {
            bytes.release();
            return;
        }
        int length = bytes.readableBytes();
        trace.event(TraceKind.NET_SEND, scheduler.nowNs(), end.localNode, end.connection.id, length);
        if (length == 0) {
            bytes.release();
            return;
        }
        long serialisedNs = serialise(end.localNode, end.remoteNode, length);
        int chunks = chunkCount(length);
        int offset = 0;
        for (int i = 0; i < chunks; i++) {
            int remaining = length - offset;
            int size = i == chunks - 1 ? remaining : 1 + random.nextInt(remaining - (chunks - 1 - i));
            enqueue(end, bytes.retainedSlice(bytes.readerIndex() + offset, size), serialisedNs);
            offset += size;
        }
        bytes.release();
    }

    private int chunkCount(int length) {
        if (length < 2 || options.maxChunks() < 2 || !random.chance(options.splitPerMillion())) {
            return 1;
        }
        return 2 + random.nextInt(Math.min(options.maxChunks(), length) - 1);
    }

    private long serialise(int from, int to, int length) {
        long start = Math.max(scheduler.nowNs(), linkBusyUntilNs[from][to]);
        long done = start + length * 1_000_000_000L / options.bytesPerSecond();
        linkBusyUntilNs[from][to] = done;
        return done;
    }

    private void enqueue(SimConnection.End end, ByteBuf chunk, long sentNs) {
        long due = Math.max(end.lastDueNs, sentNs + latency());
        end.lastDueNs = due;
        end.outgoing.addLast(new SimConnection.Chunk(chunk, due));
        schedulePump(end);
    }

    private void schedulePump(SimConnection.End end) {
        if (end.pump != null || end.outgoing.isEmpty()) {
            return;
        }
        if (blocked[end.localNode][end.remoteNode]) {
            return; // held until heal(), like TCP retransmitting into a black hole
        }
        long due = Math.max(end.outgoing.peekFirst().dueNs, clogUntilNs[end.localNode][end.remoteNode]);
        end.pump = scheduler.at(Math.max(due, scheduler.nowNs()), () -> pump(end));
    }

    private void pump(SimConnection.End end) {
        end.pump = null;
        if (blocked[end.localNode][end.remoteNode]) {
            return;
        }
        if (clogUntilNs[end.localNode][end.remoteNode] > scheduler.nowNs()) {
            schedulePump(end);
            return;
        }
        SimConnection.Chunk chunk = end.outgoing.pollFirst();
        if (chunk == null) {
            return;
        }
        deliver(end.remote, chunk);
        schedulePump(end);
    }

    private void deliver(SimConnection.End receiver, SimConnection.Chunk chunk) {
        Endpoint endpoint = endpoints[receiver.localNode];
        if (chunk.bytes == null) {
            trace.event(TraceKind.NET_CLOSE, scheduler.nowNs(), receiver.localNode, receiver.connection.id, 0);
            boolean wasOpen = !receiver.shut;
            receiver.shut = true;
            forgetIfDone(receiver.connection);
            if (wasOpen && endpoint != null) {
                endpoint.onClosed(receiver, "closed by peer");
            }
            return;
        }
        if (receiver.shut || endpoint == null) {
            chunk.bytes.release();
            return;
        }
        int length = chunk.bytes.readableBytes();
        bytesDelivered += length;
        trace.event(TraceKind.NET_DELIVER, scheduler.nowNs(), receiver.localNode, receiver.connection.id, length);
        endpoint.onBytes(receiver, intoReceiverMemory(receiver.localNode, chunk.bytes));
    }

    /** Like a socket, the receiver gets its own copy of the bytes (its memory, not the sender's). */
    private ByteBuf intoReceiverMemory(int node, ByteBuf bytes) {
        io.netty.buffer.ByteBufAllocator memory = buffers.nodeAllocator(node);
        if (memory == null) {
            return bytes; // a bare endpoint without a node life (network tests)
        }
        try {
            ByteBuf copy = memory.heapBuffer(bytes.readableBytes(), bytes.readableBytes());
            copy.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
            return copy;
        } finally {
            bytes.release();
        }
    }

    /**
     * The local side closes: nothing more reaches it; the remote sees the close after the bytes
     * already queued towards it (an orderly TCP shutdown).
     */
    public void close(SimConnection.End end) {
        SimConnection connection = end.connection;
        if (!connection.established) {
            connection.closed = true;
            connections.remove(connection);
            return;
        }
        if (end.shut && end.finQueued) {
            return;
        }
        end.shut = true;
        releaseIncoming(end);
        if (!end.finQueued) {
            end.finQueued = true;
            long due = Math.max(end.lastDueNs, scheduler.nowNs() + latency());
            end.lastDueNs = due;
            end.outgoing.addLast(new SimConnection.Chunk(null, due));
            schedulePump(end);
        }
        forgetIfDone(connection);
    }

    /** Fault: resets every connection between {@code a} and {@code b}; both sides see it at once. */
    public void reset(int a, int b) {
        trace.event(TraceKind.NET_FAULT, scheduler.nowNs(), a, 2, b);
        for (SimConnection connection : new ArrayList<>(connections)) {
            int x = connection.initiator.localNode;
            int y = connection.acceptor.localNode;
            if ((x == a && y == b) || (x == b && y == a)) {
                abort(connection, "connection reset");
            }
        }
    }

    private void resetConnectionsOf(int node, String reason) {
        for (SimConnection connection : new ArrayList<>(connections)) {
            if (connection.initiator.localNode == node || connection.acceptor.localNode == node) {
                abort(connection, reason);
            }
        }
    }

    private void abort(SimConnection connection, String reason) {
        connection.closed = true;
        connections.remove(connection);
        for (SimConnection.End end : ends(connection)) {
            releaseQueue(end);
        }
        for (SimConnection.End end : ends(connection)) {
            if (end.shut || !connection.established) {
                continue;
            }
            end.shut = true;
            scheduler.after(0, () -> {
                Endpoint endpoint = endpoints[end.localNode];
                if (endpoint != null) {
                    endpoint.onClosed(end, reason);
                }
            });
        }
        if (!connection.established) {
            scheduler.after(0, () -> {
                Endpoint endpoint = endpoints[connection.initiator.localNode];
                if (endpoint != null && !connection.initiator.shut) {
                    endpoint.onConnectFailed(connection.initiator, reason);
                }
            });
        }
    }

    /** Fault: blocks traffic from {@code from} to {@code to} (one way); bytes wait, connects time out. */
    public void block(int from, int to) {
        checkNode(from);
        checkNode(to);
        blocked[from][to] = true;
        trace.event(TraceKind.NET_FAULT, scheduler.nowNs(), from, 3, to);
    }

    /** Fault: a symmetric partition of {@code a} and {@code b}. */
    public void partition(int a, int b) {
        block(a, b);
        block(b, a);
    }

    /** Isolates one node from every other node. */
    public void isolate(int node) {
        for (int other = 0; other < nodeCount; other++) {
            if (other != node) {
                partition(node, other);
            }
        }
    }

    /** Fault: the link from {@code from} to {@code to} delivers nothing for {@code durationNs}. */
    public void clog(int from, int to, long durationNs) {
        clogUntilNs[from][to] = Math.max(clogUntilNs[from][to], scheduler.nowNs() + durationNs);
        trace.event(TraceKind.NET_FAULT, scheduler.nowNs(), from, 4, to);
    }

    /** Removes every partition and clog; held bytes flow again after a fresh latency. */
    public void healAll() {
        trace.event(TraceKind.NET_FAULT, scheduler.nowNs(), -1, 5, 0);
        for (int from = 0; from < nodeCount; from++) {
            for (int to = 0; to < nodeCount; to++) {
                blocked[from][to] = false;
                clogUntilNs[from][to] = Math.min(clogUntilNs[from][to], scheduler.nowNs());
            }
        }
        for (SimConnection connection : connections) {
            for (SimConnection.End end : ends(connection)) {
                if (end.pump == null && !end.outgoing.isEmpty()) {
                    long rebased = scheduler.nowNs() + latency();
                    for (SimConnection.Chunk chunk : end.outgoing) {
                        chunk.dueNs = Math.max(chunk.dueNs, rebased);
                    }
                    end.lastDueNs = Math.max(end.lastDueNs, rebased);
                    schedulePump(end);
                }
            }
        }
    }

    public boolean isBlocked(int from, int to) {
        return blocked[from][to];
    }

    /** Connections not yet fully closed (for resource checks and debugging). */
    public int openConnectionCount() {
        return connections.size();
    }

    /** Bytes queued in flight on every connection (for the bounded-resources check). */
    public long bytesInFlight() {
        long total = 0;
        for (SimConnection connection : connections) {
            for (SimConnection.End end : ends(connection)) {
                for (SimConnection.Chunk chunk : end.outgoing) {
                    total += chunk.bytes == null ? 0 : chunk.bytes.readableBytes();
                }
            }
        }
        return total;
    }

    /** The connections with bytes in flight, for liveness reports. */
    public String describeInFlight() {
        StringBuilder out = new StringBuilder();
        for (SimConnection connection : connections) {
            for (SimConnection.End end : ends(connection)) {
                long bytes = 0;
                for (SimConnection.Chunk chunk : end.outgoing) {
                    bytes += chunk.bytes == null ? 0 : chunk.bytes.readableBytes();
                }
                if (bytes > 0) {
                    out.append(' ').append(end).append(": ").append(bytes).append(" bytes, next due ")
                            .append(end.outgoing.peekFirst().dueNs).append(" ns, pump ")
                            .append(end.pump == null ? "none" : "at " + end.pump.timeNs()).append(", shut ")
                            .append(end.shut).append('/').append(end.remote.shut).append(';');
                }
            }
        }
        return out.toString();
    }

    /** Drops every connection and releases every buffer in flight (end of a run). */
    public void shutdown() {
        for (SimConnection connection : new ArrayList<>(connections)) {
            connection.closed = true;
            for (SimConnection.End end : ends(connection)) {
                end.shut = true;
                releaseQueue(end);
            }
        }
        connections.clear();
    }

    private void forgetIfDone(SimConnection connection) {
        if (connection.initiator.shut && connection.acceptor.shut
                && connection.initiator.outgoing.isEmpty() && connection.acceptor.outgoing.isEmpty()) {
            connection.closed = true;
            connections.remove(connection);
        }
    }

    private void releaseIncoming(SimConnection.End end) {
        SimConnection.End sender = end.remote;
        // keep a FIN the remote already queued so that its own close completes
        sender.outgoing.removeIf(chunk -> {
            if (chunk.bytes != null) {
                chunk.bytes.release();
                return true;
            }
            return false;
        });
    }

    private static void releaseQueue(SimConnection.End end) {
        for (SimConnection.Chunk chunk : end.outgoing) {
            if (chunk.bytes != null) {
                chunk.bytes.release();
            }
        }
        end.outgoing.clear();
        if (end.pump != null) {
            end.pump.cancel();
            end.pump = null;
        }
    }

    private static SimConnection.End[] ends(SimConnection connection) {
        return new SimConnection.End[] {connection.initiator, connection.acceptor};
    }

    private long latency() {
        return random.latencyNs(options.latencyMinNs(), options.latencyTypicalNs(),
                options.latencyTailPerMillion(), options.latencyTailNs());
    }

    private void checkNode(int node) {
        if (node < 0 || node >= nodeCount) {
            throw new IllegalArgumentException("no node " + node + " (nodes 0.." + (nodeCount - 1) + ")");
        }
    }
}
