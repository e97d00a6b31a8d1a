package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.engine.EngineInput.AdminCommand;
import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.Limits;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketEncoder;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.ProtocolException;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A tiny driver for two engines in one test: a manual clock, timers, in-memory disks whose I/O the test
 * completes explicitly (or automatically), and a network that carries the real encoded bytes through
 * {@link PacketEncoder} and {@link FrameDecoder} per socket. No threads, no sockets, no sleeps.
 */
final class TwoNodeHarness {

    static final long SIZE_BYTES = 16L << 20;
    static final int SECTOR = 512;

    /** One simulated node: its engine, disk, pending I/O, timers and what it reported. */
    final class Node {
        final int id;
        final Engine engine;
        final byte[] disk = new byte[(int) SIZE_BYTES];
        final TreeMap<Long, EngineOutput> pendingIo = new TreeMap<>();
        final TreeMap<Long, Long> timers = new TreeMap<>();
        final List<String> events = new ArrayList<>();
        /** Every disk I/O ever submitted, in order. */
        final List<EngineOutput> submitted = new ArrayList<>();
        final List<String> logs = new ArrayList<>();
        final List<EngineOutput.SendPacket> sent = new ArrayList<>();
        final TreeMap<Long, IoResult> completions = new TreeMap<>();
        final TreeMap<Long, StateChangeResult> replies = new TreeMap<>();
        final List<MetadataRecord> metadataWrites = new ArrayList<>();
        final List<EngineOutput.WriteActivityLog> alWrites = new ArrayList<>();
        /** Answer activity-log writes at once (else the test answers them). */
        boolean autoMetadata = true;
        boolean wantsTransport;
        /** Between TransportConnected and this node's own CloseTransport. */
        boolean sessionAlive;
        boolean autoDisk = true;
        FrameDecoder dataDecoder = newDecoder(Stream.DATA);
        FrameDecoder metaDecoder = newDecoder(Stream.META);

        Node(int id, EngineConfig config, MetadataRecord metadata) {
            this.id = id;
            this.engine = new Engine(config, metadata, Entropy.seeded(1000 + id), Buggify.OFF);
        }

        void handle(EngineInput input) {
            Outputs out = new Outputs();
            engine.handle(input, nowNs, out);
            out.drainTo(this::carryOut);
        }

        private void carryOut(EngineOutput output) {
            switch (output.kind()) {
                case SEND_PACKET:
                    EngineOutput.SendPacket send = (EngineOutput.SendPacket) output;
                    sent.add(send);
                    ByteBuf bytes = ENCODER.encode(send.packet());
                    if (send.packet() instanceof PayloadHolder holder) {
                        holder.release();
                    }
                    if (sessionAlive && networkFlowing) {
                        wire.addLast(new InFlight(this, other(this), send.socket(), bytes));
                    } else {
                        bytes.release();
                    }
                    return;
                case OPEN_TRANSPORT:
                    wantsTransport = true;
                    return;
                case CLOSE_TRANSPORT:
                    wantsTransport = false;
                    if (sessionAlive) {
                        closeSession(this);
                    }
                    return;
                case SUBMIT_DISK_READ:
                case SUBMIT_DISK_WRITE:
                case SUBMIT_DISK_FLUSH:
                case SUBMIT_DISK_TRIM:
                case SUBMIT_DISK_ZEROES:
                    pendingIo.put(ioIdOf(output), output);
                    submitted.add(output);
                    return;
                case WRITE_METADATA:
                    EngineOutput.WriteMetadata md = (EngineOutput.WriteMetadata) output;
                    metadataWrites.add(md.record());
                    deferred.addLast(() -> handle(new EngineInput.MetadataWritten(md.ioId(), IoResult.OK)));
                    return;
                case WRITE_ACTIVITY_LOG:
                    EngineOutput.WriteActivityLog al = (EngineOutput.WriteActivityLog) output;
                    alWrites.add(al);
                    if (autoMetadata) {
                        deferred.addLast(() -> handle(new EngineInput.MetadataWritten(al.ioId(), IoResult.OK)));
                    }
                    return;
                case COMPLETE_REQUEST:
                    EngineOutput.CompleteRequest done = (EngineOutput.CompleteRequest) output;
                    completions.put(done.requestId(), done.result());
                    if (done.data() != null) {
                        readResults.put(done.requestId(), bytesOf(done.data()));
                        done.data().release();
                    }
                    return;
                case ARM_TIMER:
                    EngineOutput.ArmTimer arm = (EngineOutput.ArmTimer) output;
                    timers.put(arm.timerId(), arm.deadlineNs());
                    return;
                case CANCEL_TIMER:
                    timers.remove(((EngineOutput.CancelTimer) output).timerId());
                    return;
                case EMIT_EVENT:
                    events.add(((EngineOutput.EmitEvent) output).line().text());
                    return;
                case LOG:
                    logs.add(((EngineOutput.Log) output).text());
                    return;
                case ADMIN_REPLY:
                    EngineOutput.AdminReply reply = (EngineOutput.AdminReply) output;
                    replies.put(reply.replyId(), reply.result());
                    return;
                case PAUSE_RECEIVE:
                    return;
                default:
                    throw new AssertionError(output.kind());
            }
        }

        final TreeMap<Long, byte[]> readResults = new TreeMap<>();

        /** Completes every pending disk I/O matching {@code which}; returns how many. */
        int completeIo(Predicate<EngineOutput> which, IoResult result) {
            int count = 0;
            Iterator<EngineOutput> it = new ArrayList<>(pendingIo.values()).iterator();
            while (it.hasNext()) {
                EngineOutput io = it.next();
                if (!which.test(io)) {
                    continue;
                }
                pendingIo.remove(ioIdOf(io));
                count++;
                handle(new EngineInput.DiskIoCompleted(ioIdOf(io), result, perform(io, result)));
            }
            return count;
        }

        private ByteBuf perform(EngineOutput io, IoResult result) {
            switch (io.kind()) {
                case SUBMIT_DISK_WRITE:
                    EngineOutput.SubmitDiskWrite write = (EngineOutput.SubmitDiskWrite) io;
                    if (result.ok()) {
                        write.data().getBytes(write.data().readerIndex(), disk, (int) write.offsetBytes(),
                                write.data().readableBytes());
                    }
                    write.data().release();
                    return null;
                case SUBMIT_DISK_READ:
                    EngineOutput.SubmitDiskRead read = (EngineOutput.SubmitDiskRead) io;
                    return result.ok() ? Unpooled.copiedBuffer(disk, (int) read.offsetBytes(), read.lengthBytes())
                            : null;
                case SUBMIT_DISK_TRIM:
                case SUBMIT_DISK_ZEROES:
                    long offset = io instanceof EngineOutput.SubmitDiskTrim t ? t.offsetBytes()
                            : ((EngineOutput.SubmitDiskZeroes) io).offsetBytes();
                    long length = io instanceof EngineOutput.SubmitDiskTrim t2 ? t2.lengthBytes()
                            : ((EngineOutput.SubmitDiskZeroes) io).lengthBytes();
                    if (result.ok()) {
                        java.util.Arrays.fill(disk, (int) offset, (int) (offset + length), (byte) 0);
                    }
                    return null;
                default:
                    return null;
            }
        }

        long admin(AdminVerb verb, int flags) {
            long replyId = nextReplyId++;
            handle(new AdminCommand(replyId, verb, AdminCommand.ALL_PEERS, flags));
            return replyId;
        }

        void write(long requestId, long offsetBytes, int lengthBytes, byte fill) {
            ByteBuf data = Unpooled.buffer(lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                data.writeByte(fill);
            }
            handle(new EngineInput.WriteRequested(requestId, offsetBytes, data, 0));
            // Meta-data (activity-log) writes complete before the test looks: only network and disk are manual.
            while (!deferred.isEmpty()) {
                deferred.removeFirst().run();
            }
        }

        int sentCount(io.jdrbd.replication.wire.PacketType type) {
            int count = 0;
            for (EngineOutput.SendPacket send : sent) {
                if (send.packet().type() == type) {
                    count++;
                }
            }
            return count;
        }
    }

    record InFlight(Node from, Node to, Stream socket, ByteBuf bytes) {
    }

    static final PacketEncoder ENCODER = new PacketEncoder(UnpooledByteBufAllocator.DEFAULT);

    final Node alice;
    final Node bob;
    long nowNs = 1_000_000_000L;
    /** Set to false to hold packets in the network (they queue until released). */
    boolean networkFlowing = true;
    final ArrayDeque<InFlight> wire = new ArrayDeque<>();
    final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    long nextReplyId = 1;

    TwoNodeHarness(EngineConfig.Builder aliceConfig, EngineConfig.Builder bobConfig, MetadataRecord aliceMd,
                   MetadataRecord bobMd) {
        alice = new Node(0, aliceConfig.peer(1, "bob").build(), aliceMd);
        bob = new Node(1, bobConfig.peer(0, "alice").build(), bobMd);
    }

    static EngineConfig.Builder config(String name, int nodeId) {
        return EngineConfig.builder("r0", nodeId, SIZE_BYTES).backingDev("/dev/" + name);
    }

    /** Two fresh nodes, both configured by {@code tune}, connected, and made UpToDate without initial sync. */
    static TwoNodeHarness connectedUpToDate(java.util.function.UnaryOperator<EngineConfig.Builder> tune) {
        TwoNodeHarness h = new TwoNodeHarness(tune.apply(config("alice", 0)), tune.apply(config("bob", 1)),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();
        h.alice.admin(AdminVerb.NEW_CURRENT_UUID, AdminCommand.CLEAR_BITMAP);
        h.pump();
        return h;
    }

    Node other(Node node) {
        return node == alice ? bob : alice;
    }

    /**
     * {@code closer} closed its sockets: what it sent before still arrives (TCP), followed by the close;
     * what was on the way to it is lost.
     */
    private void closeSession(Node closer) {
        closer.sessionAlive = false;
        wire.removeIf(flight -> {
            if (flight.to() == closer && flight.bytes() != null) {
                flight.bytes().release();
                return true;
            }
            return false;
        });
        wire.addLast(new InFlight(closer, other(closer), Stream.DATA, null));
    }

    /** Cuts the network without either side closing: packets are lost, nobody is told. */
    void partition() {
        networkFlowing = false;
    }

    private void resetDecoders() {
        for (Node node : List.of(alice, bob)) {
            node.dataDecoder.close();
            node.metaDecoder.close();
            node.dataDecoder = newDecoder(Stream.DATA);
            node.metaDecoder = newDecoder(Stream.META);
        }
    }

    /** Runs the network, disks and deferred completions until nothing moves (bounded). */
    void pump() {
        for (int round = 0; round < 100_000; round++) {
            if (!step()) {
                return;
            }
        }
        throw new AssertionError("no quiescence after 100000 steps");
    }

    private boolean step() {
        if (!deferred.isEmpty()) {
            deferred.removeFirst().run();
            return true;
        }
        if (alice.wantsTransport && bob.wantsTransport && !alice.sessionAlive && !bob.sessionAlive
                && wire.isEmpty() && networkFlowing) {
            resetDecoders();
            alice.sessionAlive = true;
            bob.sessionAlive = true;
            for (Node node : List.of(alice, bob)) {
                node.handle(new EngineInput.TransportConnected(other(node).id, Stream.DATA));
                node.handle(new EngineInput.TransportConnected(other(node).id, Stream.META));
            }
            return true;
        }
        if (networkFlowing && !wire.isEmpty()) {
            deliver(wire.removeFirst());
            return true;
        }
        for (Node node : List.of(alice, bob)) {
            if (node.autoDisk && !node.pendingIo.isEmpty()) {
                node.completeIo(io -> true, IoResult.OK);
                return true;
            }
        }
        return false;
    }

    /** Runs pending meta-data completions. */
    void runDeferred() {
        while (!deferred.isEmpty()) {
            deferred.removeFirst().run();
        }
    }

    /** Delivers up to {@code count} queued network items, oldest first. */
    void deliverSome(int count) {
        for (int i = 0; i < count && !wire.isEmpty() && networkFlowing; i++) {
            deliver(wire.removeFirst());
        }
        runDeferred();
    }

    /** Delivers queued packets whose socket matches {@code socket} only (others stay queued). */
    void deliverOnly(Stream socket) {
        List<InFlight> keep = new ArrayList<>();
        while (!wire.isEmpty()) {
            InFlight flight = wire.removeFirst();
            if (flight.socket() == socket) {
                deliver(flight);
            } else {
                keep.add(flight);
            }
        }
        wire.addAll(keep);
    }

    private void deliver(InFlight flight) {
        Node to = flight.to();
        if (flight.bytes() == null) {
            if (to.sessionAlive) {
                to.handle(new EngineInput.TransportClosed(flight.from().id, Stream.DATA,
                        EngineInput.CloseCause.CLOSED_BY_PEER, "connection reset by peer"));
            }
            return;
        }
        if (!to.sessionAlive) {
            flight.bytes().release();
            return;
        }
        FrameDecoder decoder = flight.socket() == Stream.DATA ? to.dataDecoder : to.metaDecoder;
        List<Packet> packets = new ArrayList<>();
        try {
            decoder.feed(flight.bytes(), packets::add);
        } catch (ProtocolException e) {
            throw new AssertionError("engine sent bytes the decoder rejects: " + e.getMessage(), e);
        }
        for (Packet packet : packets) {
            to.handle(new EngineInput.PacketReceived(flight.from().id, flight.socket(), packet));
        }
    }

    /** Advances the clock by {@code deltaNs}, firing due timers in deadline order, pumping in between. */
    void advance(long deltaNs) {
        long target = nowNs + deltaNs;
        for (int round = 0; round < 100_000; round++) {
            Node due = null;
            long dueAt = Long.MAX_VALUE;
            long dueTimer = 0;
            for (Node node : List.of(alice, bob)) {
                for (var entry : node.timers.entrySet()) {
                    if (entry.getValue() <= target && entry.getValue() < dueAt) {
                        due = node;
                        dueAt = entry.getValue();
                        dueTimer = entry.getKey();
                    }
                }
            }
            if (due == null) {
                nowNs = target;
                return;
            }
            nowNs = Math.max(nowNs, dueAt);
            due.timers.remove(dueTimer);
            due.handle(new EngineInput.TimerExpired(dueTimer));
            pump();
        }
        throw new AssertionError("timers keep firing");
    }

    static FrameDecoder newDecoder(Stream stream) {
        return new FrameDecoder(stream, Limits.DRBD_MAX_BIO_SIZE, UnpooledByteBufAllocator.DEFAULT);
    }

    static long ioIdOf(EngineOutput io) {
        switch (io.kind()) {
            case SUBMIT_DISK_READ:
                return ((EngineOutput.SubmitDiskRead) io).ioId();
            case SUBMIT_DISK_WRITE:
                return ((EngineOutput.SubmitDiskWrite) io).ioId();
            case SUBMIT_DISK_FLUSH:
                return ((EngineOutput.SubmitDiskFlush) io).ioId();
            case SUBMIT_DISK_TRIM:
                return ((EngineOutput.SubmitDiskTrim) io).ioId();
            case SUBMIT_DISK_ZEROES:
                return ((EngineOutput.SubmitDiskZeroes) io).ioId();
            default:
                throw new IllegalArgumentException(io.kind() + " is not disk I/O");
        }
    }

    static byte[] bytesOf(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }

    static IoResult eio() {
        return IoResult.failed(IoError.EIO, 0, 0, "injected");
    }
}
