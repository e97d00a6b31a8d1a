package io.jdrbd.sim;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.wire.BlockAck;
import io.jdrbd.replication.wire.DataPacket;
import io.jdrbd.replication.wire.EmptyPacket;
import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketEncoder;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deliberately minimal two-node replicator for testing the simulator itself (not DRBD): one
 * connection, P_DATA and the protocol's ack through the real wire codec, sequential apply on the
 * secondary (so its disk is always a prefix), ping-based failure detection, no handshake and no
 * resync. With {@code ackBeforePeer} it completes protocol C writes before the peer's write ack: the
 * canary the checkers must catch.
 */
final class FakeReplicaNode implements ReplicaNode, SimNetwork.Endpoint, NodeView {
    private static final long PING_INTERVAL_NS = 100_000_000L;
    private static final long PEER_TIMEOUT_NS = 500_000_000L;

    private final NodeContext context;
    private final boolean ackBeforePeer;
    private final int peer;
    private final PacketEncoder encoder;
    private final char protocol;
    private SimConnection.End connection;
    private FrameDecoder decoder;
    private boolean connected;
    private long lastHeardNs;
    private boolean primary;
    private int sequence;
    private final Map<Long, Request> requests = new LinkedHashMap<>();
    private final ArrayDeque<DataPacket> applyQueue = new ArrayDeque<>();
    private boolean applying;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private final java.util.List<ByteBuf> readTargets = new java.util.ArrayList<>();

    private static final class Request {
        final long id;
        final ByteBuf data;
        final long offsetBytes;
        final int flags;
        boolean localDone;
        boolean peerDone;
        boolean ok = true;

        Request(long id, ByteBuf data, long offsetBytes, int flags) {
            this.id = id;
            this.data = data;
            this.offsetBytes = offsetBytes;
            this.flags = flags;
        }

        boolean overlaps(Request other) {
            return offsetBytes < other.offsetBytes + other.data.readableBytes()
                    && other.offsetBytes < offsetBytes + data.readableBytes();
        }
    }

    FakeReplicaNode(NodeContext context, boolean ackBeforePeer) {
        this.context = context;
        this.ackBeforePeer = ackBeforePeer;
        this.peer = 1 - context.nodeId();
        this.encoder = new PacketEncoder(context.allocator());
        this.protocol = context.options().protocol();
    }

    static ReplicaNode.Factory correct() {
        return context -> new FakeReplicaNode(context, false);
    }

    static ReplicaNode.Factory ackingBeforePeer() {
        return context -> new FakeReplicaNode(context, true);
    }

    @Override
    public void start() {
        context.attachNetwork(this);
        if (context.nodeId() == 0) {
            dial();
        }
        context.after(PING_INTERVAL_NS, this::tick);
    }

    private void dial() {
        if (connection == null) {
            connection = context.network().connect(context.nodeId(), peer, 0);
        }
    }

    private void tick() {
        if (connected) {
            if (context.nowNs() - lastHeardNs > PEER_TIMEOUT_NS) {
                context.network().close(connection);
                lost();
            } else {
                send(EmptyPacket.PING);
            }
        } else if (context.nodeId() == 0) {
            dial();
        }
        context.after(PING_INTERVAL_NS, this::tick);
    }

    private void established(SimConnection.End end) {
        connection = end;
        connected = true;
        lastHeardNs = context.nowNs();
        decoder = new FrameDecoder(null, 1 << 20, context.allocator());
        context.stateChanged("change connection peer-node-id:" + peer + " connection:Connected");
    }

    @Override
    public void onAccepted(SimConnection.End end) {
        if (connected) {
            context.network().close(end);
            return;
        }
        established(end);
    }

    @Override
    public void onConnected(SimConnection.End end) {
        established(end);
    }

    @Override
    public void onConnectFailed(SimConnection.End end, String reason) {
        connection = null;
    }

    @Override
    public void onClosed(SimConnection.End end, String reason) {
        if (end == connection) {
            lost();
        }
    }

    private void lost() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        connection = null;
        if (!connected) {
            return;
        }
        connected = false;
        context.stateChanged("change connection peer-node-id:" + peer + " connection:Connecting");
        for (Request request : requests.values().toArray(new Request[0])) {
            request.peerDone = true;
            maybeComplete(request);
        }
    }

    @Override
    public void onBytes(SimConnection.End end, ByteBuf bytes) {
        if (end != connection || decoder == null) {
            bytes.release();
            return;
        }
        lastHeardNs = context.nowNs();
        try {
            decoder.feed(bytes, this::onPacket);
        } catch (ProtocolException e) {
            throw new AssertionError("fake node decoded garbage: " + e.getMessage(), e);
        }
    }

    private void onPacket(Packet packet) {
        switch (packet.type()) {
            case P_DATA -> {
                DataPacket data = (DataPacket) packet;
                if (protocol == 'B') {
                    send(new BlockAck(PacketType.P_RECV_ACK, 0, data.sector(), data.blockId(), data.size(), 0));
                }
                applyQueue.addLast(data);
                applyNext();
            }
            case P_RECV_ACK, P_WRITE_ACK -> {
                Request request = requests.get(((BlockAck) packet).blockId());
                if (request != null) {
                    request.peerDone = true;
                    maybeComplete(request);
                }
            }
            case P_PING -> send(EmptyPacket.PING_ACK);
            default -> { }
        }
    }

    /** The secondary writes one received block at a time, in arrival order. */
    private void applyNext() {
        if (applying || applyQueue.isEmpty()) {
            return;
        }
        applying = true;
        DataPacket data = applyQueue.peekFirst();
        context.dataDisk().write(data.sector() * 512, data.data(), 0, result -> {
            applyQueue.pollFirst();
            applying = false;
            if (protocol == 'C' && connected) {
                send(new BlockAck(PacketType.P_WRITE_ACK, 0, data.sector(), data.blockId(), data.size(), 0));
            }
            data.release();
            applyNext();
        });
    }

    private void send(Packet packet) {
        if (connected) {
            context.network().send(connection, encoder.encode(packet));
        }
    }

    @Override
    public void submitWrite(long requestId, long offsetBytes, ByteBuf data, int flags) {
        Request request = new Request(requestId, data, offsetBytes, flags);
        requests.put(requestId, request);
        for (Request other : requests.values()) {
            if (other != request && other.overlaps(request)) {
                waiting.addLast(request); // like DRBD, overlapping writes are serialised on the primary
                return;
            }
        }
        issue(request);
    }

    private void issue(Request request) {
        long offsetBytes = request.offsetBytes;
        long requestId = request.id;
        ByteBuf data = request.data;
        int flags = request.flags;
        if (connected) {
            send(DataPacket.write(0, offsetBytes / 512, requestId, ++sequence, 0, data));
            request.peerDone = protocol == 'A' || ackBeforePeer;
        } else {
            request.peerDone = true;
        }
        context.dataDisk().write(offsetBytes, data, flags, result -> {
            request.localDone = true;
            request.ok = result.ok();
            maybeComplete(request);
        });
    }

    private void maybeComplete(Request request) {
        if (request.localDone && request.peerDone && requests.remove(request.id) != null) {
            request.data.release();
            issueWaiting();
            context.completeWrite(request.id, request.ok ? IoResult.OK : IoResult.failed(
                    io.jdrbd.blockdev.IoError.EIO, 0, 0, "local write failed"));
        }
    }

    private void issueWaiting() {
        for (Request waiter : waiting.toArray(new Request[0])) {
            boolean blocked = false;
            for (Request other : requests.values()) {
                if (other != waiter && other.overlaps(waiter) && !waiting.contains(other)) {
                    blocked = true;
                }
            }
            for (Request earlier : waiting) {
                if (earlier == waiter) {
                    break;
                }
                blocked |= earlier.overlaps(waiter);
            }
            if (!blocked) {
                waiting.remove(waiter);
                issue(waiter);
            }
        }
    }

    @Override
    public void submitFlush(long requestId) {
        context.dataDisk().flush(result -> context.completeWrite(requestId, result));
    }

    @Override
    public void submitRead(long requestId, long offsetBytes, int lengthBytes) {
        ByteBuf target = context.allocator().heapBuffer(lengthBytes);
        readTargets.add(target);
        context.dataDisk().read(offsetBytes, lengthBytes, target, result -> {
            readTargets.remove(target);
            context.completeRead(requestId, result, target);
        });
    }

    @Override
    public void admin(AdminAction action, int peerNode, Consumer<AdminResult> reply) {
        context.after(0, () -> {
            switch (action) {
                case PRIMARY, PRIMARY_FORCE -> primary = true;
                case SECONDARY -> primary = false;
                default -> { }
            }
            context.stateChanged("change resource role:" + role());
            reply.accept(AdminResult.OK);
        });
    }

    @Override
    public NodeView view() {
        return this;
    }

    @Override
    public void crash() {
        shutdown();
    }

    @Override
    public void shutdown() {
        for (Request request : requests.values()) {
            request.data.release();
        }
        requests.clear();
        waiting.clear();
        for (DataPacket data : applyQueue) {
            data.release();
        }
        applyQueue.clear();
        readTargets.forEach(ByteBuf::release);
        readTargets.clear();
        if (decoder != null) {
            decoder.close();
        }
    }

    @Override
    public String role() {
        return primary ? "Primary" : "Secondary";
    }

    @Override
    public String disk() {
        return "UpToDate";
    }

    @Override
    public String connection(int peerNode) {
        return connected ? "Connected" : "Connecting";
    }

    @Override
    public String replication(int peerNode) {
        return connected ? "Established" : "Off";
    }

    @Override
    public String peerDisk(int peerNode) {
        return connected ? "UpToDate" : "DUnknown";
    }

    @Override
    public int pendingRequests() {
        return requests.size();
    }
}
