package io.jdrbd.sim;

import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.InitialPacket;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketEncoder;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.ProtocolException;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The simulated transport of one node: for every peer the engine asked to connect to, the two DRBD
 * sockets (data and meta), carried by {@link SimNetwork} as real bytes. Outgoing packets are encoded
 * with the production {@link PacketEncoder}; incoming bytes, in whatever chunks the network delivers,
 * are decoded with the production {@link FrameDecoder}.
 *
 * <p>Connection establishment: the node with the lower id connects both sockets and sends
 * P_INITIAL_DATA / P_INITIAL_META first; the other side accepts only while its engine wants the peer
 * (an outstanding OpenTransport) and learns which socket is which from that first packet. A socket
 * that fails is retried every {@code connectRetryNs}. Every socket event becomes an engine input.
 */
final class EngineTransport implements SimNetwork.Endpoint {
    private static final int STREAMS = 2;

    private final NodeContext context;
    private final Consumer<EngineInput> engine;
    private final PacketEncoder encoder;
    private final long connectRetryNs;
    private final Peer[] peers;
    private final List<DropRule> dropRules = new ArrayList<>();

    /** Packets of one type from one peer are dropped until a time (a fault hook). */
    private record DropRule(int fromPeer, PacketType type, long untilNs) { }

    /** The sockets to one peer. */
    private final class Peer {
        final int nodeId;
        boolean wanted;
        final Socket[] sockets = new Socket[STREAMS];
        boolean receivePaused;
        Scheduler.Event retry;

        Peer(int nodeId) {
            this.nodeId = nodeId;
        }
    }

    /** One socket: the network end, its decoder, and (while paused) bytes not yet decoded. */
    private final class Socket {
        final SimConnection.End end;
        final FrameDecoder decoder;
        Stream stream;
        boolean reported;
        final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
        /** Packets decoded together with the initial packet, not yet handed to the engine. */
        final List<Packet> early = new ArrayList<>();

        Socket(SimConnection.End end, Stream stream) {
            this.end = end;
            this.stream = stream;
            this.decoder = new FrameDecoder(stream, 1 << 20, context.allocator());
        }
    }

    EngineTransport(NodeContext context, Consumer<EngineInput> engine, long connectRetryNs) {
        this.context = context;
        this.engine = engine;
        this.encoder = new PacketEncoder(context.allocator());
        this.connectRetryNs = connectRetryNs;
        this.peers = new Peer[context.nodeCount()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new Peer(i);
        }
    }

    void dropIncoming(int fromPeer, PacketType type, long untilNs) {
        dropRules.add(new DropRule(fromPeer, type, untilNs));
    }

    private boolean dropped(int fromPeer, Packet packet) {
        dropRules.removeIf(rule -> rule.untilNs() <= context.nowNs());
        for (DropRule rule : dropRules) {
            if (rule.fromPeer() == fromPeer && rule.type() == packet.type()) {
                context.trace().event(TraceKind.FAULT, context.nowNs(), context.nodeId(), packet.type().ordinal(),
                        fromPeer);
                if (packet instanceof PayloadHolder holder) {
                    holder.release();
                }
                return true;
            }
        }
        return false;
    }

    void start() {
        context.attachNetwork(this);
    }

    private boolean initiator(int peer) {
        return context.nodeId() < peer;
    }

    // ---- engine outputs ----------------------------------------------------------------------

    void open(int peerId) {
        Peer peer = peers[peerId];
        peer.wanted = true;
        if (initiator(peerId)) {
            dialMissing(peer);
        }
    }

    void close(int peerId) {
        Peer peer = peers[peerId];
        peer.wanted = false;
        if (peer.retry != null) {
            peer.retry.cancel();
            peer.retry = null;
        }
        dropSockets(peer, true);
    }

    void send(int peerId, Stream stream, Packet packet) {
        Socket socket = peers[peerId].sockets[stream.ordinal()];
        if (socket == null || !socket.end.open()) {
            return; // the engine learns of the loss through TransportClosed
        }
        context.network().send(socket.end, encoder.encode(packet));
    }

    void pauseReceive(int peerId, boolean paused) {
        Peer peer = peers[peerId];
        peer.receivePaused = paused;
        if (!paused) {
            context.after(0, () -> drainAll(peer));
        }
    }

    // ---- establishing -------------------------------------------------------------------------

    private void dialMissing(Peer peer) {
        if (!peer.wanted) {
            return;
        }
        for (Stream stream : new Stream[] {Stream.DATA, Stream.META}) {
            if (peer.sockets[stream.ordinal()] == null) {
                SimConnection.End end = context.network().connect(context.nodeId(), peer.nodeId, stream.ordinal());
                peer.sockets[stream.ordinal()] = new Socket(end, stream);
            }
        }
    }

    private void scheduleRetry(Peer peer) {
        if (peer.retry == null && peer.wanted && initiator(peer.nodeId)) {
            peer.retry = context.after(connectRetryNs, () -> {
                peer.retry = null;
                dialMissing(peer);
            });
        }
    }

    @Override
    public void onConnected(SimConnection.End end) {
        Socket socket = socketOf(end);
        if (socket == null) {
            context.network().close(end);
            return;
        }
        context.network().send(end, encoder.encode(socket.stream == Stream.DATA ? InitialPacket.DATA
                : InitialPacket.META));
        report(peers[end.remoteNode()], socket);
    }

    @Override
    public void onAccepted(SimConnection.End end) {
        Peer peer = peers[end.remoteNode()];
        if (!peer.wanted || initiator(peer.nodeId)) {
            context.network().close(end); // no listener for this peer: refused
            return;
        }
        // which socket this is, is only known from its first packet
        pendingAccepts.add(new Socket(end, null));
    }

    private final List<Socket> pendingAccepts = new ArrayList<>();

    @Override
    public void onConnectFailed(SimConnection.End end, String reason) {
        Peer peer = peers[end.remoteNode()];
        Socket socket = socketOf(end);
        if (socket != null) {
            peer.sockets[socket.stream.ordinal()] = null;
            socket.decoder.close();
        }
        scheduleRetry(peer);
    }

    private void report(Peer peer, Socket socket) {
        if (!socket.reported) {
            socket.reported = true;
            engine.accept(new EngineInput.TransportConnected(peer.nodeId, socket.stream));
            if (bothReported(peer)) {
                context.after(0, () -> drainAll(peer));
            }
        }
    }

    /**
     * Reading starts once both sockets of the peer are up (the engine starts its handshake then and
     * ignores packets that come earlier); until then bytes wait, as they would in a socket buffer.
     */
    private boolean bothReported(Peer peer) {
        for (Socket socket : peer.sockets) {
            if (socket == null || !socket.reported) {
                return false;
            }
        }
        return true;
    }

    private boolean readable(Peer peer, Socket socket) {
        return bothReported(peer) && !(socket.stream == Stream.DATA && peer.receivePaused);
    }

    private void drainAll(Peer peer) {
        for (Socket socket : peer.sockets) {
            if (socket != null) {
                drainHeld(peer, socket);
            }
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    @Override
    public void onBytes(SimConnection.End end, ByteBuf bytes) {
        Socket accepted = pendingAccept(end);
        if (accepted != null) {
            identify(accepted, bytes);
            return;
        }
        Socket socket = socketOf(end);
        if (socket == null) {
            bytes.release();
            return;
        }
        Peer peer = peers[end.remoteNode()];
        if (!readable(peer, socket) || !socket.held.isEmpty() || !socket.early.isEmpty()) {
            socket.held.addLast(bytes);
            return;
        }
        decode(peer, socket, bytes);
    }

    /** The first bytes of an accepted socket: P_INITIAL_DATA or P_INITIAL_META says which it is. */
    private void identify(Socket accepted, ByteBuf bytes) {
        Peer peer = peers[accepted.end.remoteNode()];
        List<Packet> packets = new ArrayList<>();
        try {
            accepted.decoder.feed(bytes, packets::add);
        } catch (ProtocolException e) {
            pendingAccepts.remove(accepted);
            context.network().close(accepted.end);
            return;
        }
        if (packets.isEmpty()) {
            return; // the 8-byte initial packet arrived split; wait for the rest
        }
        pendingAccepts.remove(accepted);
        Packet first = packets.get(0);
        Stream stream = first.type() == PacketType.P_INITIAL_DATA ? Stream.DATA
                : first.type() == PacketType.P_INITIAL_META ? Stream.META : null;
        Socket existing = stream == null ? null : peer.sockets[stream.ordinal()];
        if (stream == null || !peer.wanted || (existing != null && existing.end.open())) {
            releaseAll(packets);
            accepted.decoder.close();
            context.network().close(accepted.end);
            return;
        }
        accepted.stream = stream;
        accepted.decoder.expectStream(stream);
        peer.sockets[stream.ordinal()] = accepted;
        accepted.early.addAll(packets.subList(1, packets.size()));
        report(peer, accepted);
    }

    private void decode(Peer peer, Socket socket, ByteBuf bytes) {
        List<Packet> packets = new ArrayList<>();
        try {
            socket.decoder.feed(bytes, packets::add);
        } catch (ProtocolException e) {
            context.trace().event(TraceKind.NET_FAULT, context.nowNs(), context.nodeId(), "decode error: "
                    + e.getMessage());
            releaseAll(packets);
            lose(peer, socket, EngineInput.CloseCause.DECODE_ERROR, e.getMessage());
            return;
        }
        // hand packets over only after the decoder returned: the engine may close this socket meanwhile
        for (int i = 0; i < packets.size(); i++) {
            Packet packet = packets.get(i);
            if (peer.sockets[socket.stream.ordinal()] != socket) {
                releaseAll(packets.subList(i, packets.size()));
                return;
            }
            if (packet instanceof InitialPacket || dropped(peer.nodeId, packet)) {
                continue; // a repeated initial packet is harmless; dropped packets never reach the engine
            }
            engine.accept(new EngineInput.PacketReceived(peer.nodeId, socket.stream, packet));
        }
    }

    private void drainHeld(Peer peer, Socket socket) {
        while (!socket.early.isEmpty() && readable(peer, socket) && peer.sockets[socket.stream.ordinal()] == socket) {
            Packet packet = socket.early.remove(0);
            if (!dropped(peer.nodeId, packet)) {
                engine.accept(new EngineInput.PacketReceived(peer.nodeId, socket.stream, packet));
            }
        }
        while (socket.early.isEmpty() && readable(peer, socket) && !socket.held.isEmpty()
                && peer.sockets[socket.stream.ordinal()] == socket) {
            decode(peer, socket, socket.held.pollFirst());
        }
    }

    @Override
    public void onClosed(SimConnection.End end, String reason) {
        Socket accepted = pendingAccept(end);
        if (accepted != null) {
            pendingAccepts.remove(accepted);
            accepted.decoder.close();
            return;
        }
        Socket socket = socketOf(end);
        if (socket != null) {
            lose(peers[end.remoteNode()], socket, EngineInput.CloseCause.CLOSED_BY_PEER, reason);
        }
    }

    private void lose(Peer peer, Socket socket, EngineInput.CloseCause cause, String detail) {
        boolean reported = socket.reported;
        Stream stream = socket.stream;
        dropSocket(peer, socket, true);
        if (reported) {
            engine.accept(new EngineInput.TransportClosed(peer.nodeId, stream, cause, detail));
        }
        scheduleRetry(peer);
    }

    // ---- bookkeeping --------------------------------------------------------------------------

    private Socket socketOf(SimConnection.End end) {
        for (Socket socket : peers[end.remoteNode()].sockets) {
            if (socket != null && socket.end == end) {
                return socket;
            }
        }
        return null;
    }

    private Socket pendingAccept(SimConnection.End end) {
        for (Socket socket : pendingAccepts) {
            if (socket.end == end) {
                return socket;
            }
        }
        return null;
    }

    private void dropSockets(Peer peer, boolean closeNetwork) {
        for (Socket socket : peer.sockets) {
            if (socket != null) {
                dropSocket(peer, socket, closeNetwork);
            }
        }
    }

    private void dropSocket(Peer peer, Socket socket, boolean closeNetwork) {
        if (peer.sockets[socket.stream.ordinal()] == socket) {
            peer.sockets[socket.stream.ordinal()] = null;
            peer.receivePaused = false; // a new connection starts reading
        }
        socket.decoder.close();
        for (ByteBuf held : socket.held) {
            held.release();
        }
        socket.held.clear();
        releaseAll(socket.early);
        socket.early.clear();
        if (closeNetwork) {
            context.network().close(socket.end);
        }
    }

    private static void releaseAll(List<Packet> packets) {
        for (Packet packet : packets) {
            if (packet instanceof PayloadHolder holder) {
                holder.release();
            }
        }
    }

    /** Bytes received and not yet handed to the engine (paused or waiting for the second socket). */
    long heldBytes() {
        long total = 0;
        for (Peer peer : peers) {
            for (Socket socket : peer.sockets) {
                if (socket != null) {
                    total += socket.early.size();
                    for (ByteBuf bytes : socket.held) {
                        total += bytes.readableBytes();
                    }
                }
            }
        }
        return total;
    }

    /** Crash or shutdown: forget every socket and release every buffer (the network is gone). */
    void shutdown() {
        for (Peer peer : peers) {
            if (peer.retry != null) {
                peer.retry.cancel();
            }
            for (Socket socket : peer.sockets) {
                if (socket != null) {
                    dropSocket(peer, socket, false);
                }
            }
        }
        for (Socket socket : pendingAccepts) {
            socket.decoder.close();
        }
        pendingAccepts.clear();
    }
}
