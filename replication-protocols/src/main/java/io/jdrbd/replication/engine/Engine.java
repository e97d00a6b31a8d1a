package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.metadata.ActivityLog;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.replication.engine.EngineInput.AdminCommand;
import io.jdrbd.replication.engine.EngineInput.CloseCause;
import io.jdrbd.replication.engine.EngineOutput.AdminReply;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.EmptyPacket;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.Role;
import io.jdrbd.replication.wire.Stream;
import java.util.List;
import java.util.TreeMap;

/**
 * The replication engine of one resource (one volume): a single-threaded, sans-I/O state machine.
 * Everything that happens to it is an {@link EngineInput}; everything it wants done is an
 * {@link EngineOutput} appended to the {@link Outputs} of the step. Time comes with each input, randomness
 * from {@link Entropy}. See {@code docs/engine.md} for the driver contract.
 *
 * <p>This class holds the control flow and the resource-wide state (role, disk, UUIDs) and dispatches to
 * the parts that own one concern each: {@link RequestPath} (upper-layer requests, transfer log, epochs,
 * acks), {@link ReceivePath} (writes from a Primary, receive epochs, barrier acks), {@link Handshake}
 * (connection establishment), {@link ClusterChanges} (admin state changes and two-phase commits),
 * {@link Liveness} (timers).
 */
public final class Engine {

    final EngineConfig config;
    final Entropy entropy;
    final Buggify buggify;
    final PeerConnection[] peers;
    final GenerationUuids uuids;
    final RequestPath requests;
    final ReceivePath receiver;
    final Handshake handshake;
    final ClusterChanges changes;
    final Liveness liveness;
    final Bitmap bitmap;
    final ActivityLog activityLog;
    private final StateReporter reporter;

    Role role = Role.SECONDARY;
    DiskState disk;
    /** The size the device exposes: the smaller of ours and every connected peer's. */
    long exposedSizeBytes;

    long nowNs;
    private Outputs out;
    private long nextIoId = 1;
    final TreeMap<Long, DiskIo> diskIos = new TreeMap<>();

    /** An engine whose out-of-sync bitmap starts clear (fresh meta-data, tests). */
    public Engine(EngineConfig config, MetadataRecord metadata, Entropy entropy, Buggify buggify) {
        this(config, metadata, Bitmap.forCapacity(config.deviceSizeSectors(), Math.max(1, config.peers().size())),
                entropy, buggify);
    }

    /**
     * @param bitmap the device's out-of-sync bitmap as read at attach: slot {@code i} belongs to
     *     {@code config.peers().get(i)} (node-id order); it must cover the device. The engine changes it in
     *     place; the driver writes its dirty pages ({@link #bitmap()}) when the engine asks.
     */
    public Engine(EngineConfig config, MetadataRecord metadata, Bitmap bitmap, Entropy entropy, Buggify buggify) {
        if (bitmap.maxPeers() < config.peers().size() || bitmap.bitCount() * 8 < config.deviceSizeSectors()) {
            throw new IllegalArgumentException("bitmap with " + bitmap.maxPeers() + " slots of " + bitmap.bitCount()
                    + " bits does not cover " + config.peers().size() + " peers and " + config.deviceSizeSectors()
                    + " sectors");
        }
        this.bitmap = bitmap;
        this.activityLog = new ActivityLog(config.alExtents());
        this.config = config;
        this.entropy = entropy;
        this.buggify = buggify;
        this.uuids = new GenerationUuids(metadata);
        this.disk = diskStateAtAttach(metadata);
        this.exposedSizeBytes = config.deviceSizeBytes();
        this.peers = new PeerConnection[config.peers().size()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new PeerConnection(config.peers().get(i), i, new OutOfSyncBitmap(bitmap, i),
                    config.maxBuffers());
        }
        this.requests = new RequestPath(this);
        this.receiver = new ReceivePath(this);
        this.handshake = new Handshake(this);
        this.changes = new ClusterChanges(this);
        this.liveness = new Liveness(this);
        this.reporter = new StateReporter(config, view());
    }

    /** DRBD's disk state from the superblock flags at attach (no fencing configured: UpToDate if it was). */
    private static DiskState diskStateAtAttach(MetadataRecord metadata) {
        if (!metadata.has(MetadataRecord.MDF_CONSISTENT)) {
            return DiskState.INCONSISTENT;
        }
        if (!metadata.has(MetadataRecord.MDF_WAS_UP_TO_DATE)) {
            return DiskState.OUTDATED;
        }
        return DiskState.UP_TO_DATE;
    }

    /**
     * Processes one input at time {@code nowNs} (monotonic, never decreasing) and appends the resulting
     * outputs to {@code outputs}. Runs to completion; never calls the driver.
     */
    public void handle(EngineInput input, long nowNs, Outputs outputs) {
        if (nowNs < this.nowNs) {
            throw new IllegalArgumentException("time went backwards: " + nowNs + " < " + this.nowNs);
        }
        this.nowNs = nowNs;
        this.out = outputs;
        try {
            dispatch(input);
            publishState();
        } finally {
            this.out = null;
        }
        checkInvariants();
    }

    private void dispatch(EngineInput input) {
        switch (input.kind()) {
            case WRITE_REQUESTED:
                requests.onWriteRequested((EngineInput.WriteRequested) input);
                return;
            case READ_REQUESTED:
                requests.onReadRequested((EngineInput.ReadRequested) input);
                return;
            case FLUSH_REQUESTED:
                requests.onFlushRequested((EngineInput.FlushRequested) input);
                return;
            case TRIM_REQUESTED:
                requests.onTrimRequested((EngineInput.TrimRequested) input);
                return;
            case ZEROES_REQUESTED:
                requests.onZeroesRequested((EngineInput.ZeroesRequested) input);
                return;
            case TRANSPORT_CONNECTED:
                onTransportConnected((EngineInput.TransportConnected) input);
                return;
            case TRANSPORT_CLOSED:
                onTransportClosed((EngineInput.TransportClosed) input);
                return;
            case PACKET_RECEIVED:
                onPacketReceived((EngineInput.PacketReceived) input);
                return;
            case DISK_IO_COMPLETED:
                onDiskIoCompleted((EngineInput.DiskIoCompleted) input);
                return;
            case METADATA_WRITTEN:
                requests.onMetadataWritten((EngineInput.MetadataWritten) input);
                return;
            case TIMER_EXPIRED:
                liveness.onTimerExpired(((EngineInput.TimerExpired) input).timerId());
                return;
            case ADMIN_COMMAND:
                changes.onAdminCommand((AdminCommand) input);
                return;
            default:
                throw new AssertionError("unhandled input kind " + input.kind());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Read-only state, for status output and tests.

    public EngineConfig config() {
        return config;
    }

    public Role role() {
        return role;
    }

    public DiskState diskState() {
        return disk;
    }

    public long exposedSizeBytes() {
        return exposedSizeBytes;
    }

    /** The connection state towards {@code peerNodeId} (StandAlone … Connected). */
    public ConnState connectionState(int peerNodeId) {
        return peer(peerNodeId).connection;
    }

    /** The replication state towards {@code peerNodeId} (Off, Established, ...). */
    public ReplicationState replicationState(int peerNodeId) {
        return peer(peerNodeId).replication;
    }

    public DiskState peerDiskState(int peerNodeId) {
        return peer(peerNodeId).peerDisk;
    }

    public Role peerRole(int peerNodeId) {
        return peer(peerNodeId).role;
    }

    /** 4 KiB blocks marked out of sync towards {@code peerNodeId}. */
    public long outOfSyncBlocks(int peerNodeId) {
        return peer(peerNodeId).bitmap.outOfSyncBlocks();
    }

    /** Whether the 4 KiB block {@code bitIndex} is marked out of sync towards {@code peerNodeId}. */
    public boolean isOutOfSync(int peerNodeId, long bitIndex) {
        return peer(peerNodeId).bitmap.isOutOfSync(bitIndex);
    }

    /**
     * The out-of-sync bitmap (slot i = i-th peer in node-id order). The driver may read it and write its
     * dirty pages ({@code encodePage}, {@code markClean}) on the engine's thread; it must not change bits.
     */
    public Bitmap bitmap() {
        return bitmap;
    }

    /** Extents the activity log holds committed (hot): what a crash of this Primary may leave different. */
    public long[] activeExtents() {
        return activityLog.activeExtents();
    }

    /** The generation UUIDs and flags as they would be written now. */
    public MetadataRecord metadata() {
        return uuids.snapshot();
    }

    /** Upper-layer write requests still in the transfer log (not yet done for every peer). */
    public int transferLogSize() {
        return requests.transferLogSize();
    }

    /** The events2 initial dump ({@code exists ...} lines and the closing {@code exists -}). */
    public List<String> existsLines() {
        return reporter.existsLines();
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers for the parts.

    PeerConnection peer(int peerNodeId) {
        for (PeerConnection peer : peers) {
            if (peer.nodeId() == peerNodeId) {
                return peer;
            }
        }
        throw new IllegalArgumentException("node " + peerNodeId + " is not a configured peer of "
                + config.resourceName());
    }

    PeerConnection peerOrNull(int peerNodeId) {
        for (PeerConnection peer : peers) {
            if (peer.nodeId() == peerNodeId) {
                return peer;
            }
        }
        return null;
    }

    void emit(EngineOutput output) {
        out.add(output);
    }

    void send(PeerConnection peer, Stream socket, Packet packet) {
        out.add(new EngineOutput.SendPacket(peer.nodeId(), socket, packet));
    }

    void log(String text) {
        out.add(new EngineOutput.Log(config.resourceName() + " " + text));
    }

    void logPeer(PeerConnection peer, String text) {
        out.add(new EngineOutput.Log(config.resourceName() + " " + peer.config.connName() + ": " + text));
    }

    long newIoId(DiskIo purpose) {
        long ioId = nextIoId++;
        diskIos.put(ioId, purpose);
        return ioId;
    }

    long newIoId() {
        return nextIoId++;
    }

    void reply(long replyId, StateChangeResult result) {
        out.add(new AdminReply(replyId, result));
    }

    /** Emits events2 lines for whatever changed since the last publish (one state transition). */
    void publishState() {
        reporter.publish(view(), out);
    }

    private StateReporter.View view() {
        StateReporter.PeerView[] views = new StateReporter.PeerView[peers.length];
        int upToDateReplicas = disk == DiskState.UP_TO_DATE ? 1 : 0;
        boolean primaryVisible = role == Role.PRIMARY;
        for (int i = 0; i < peers.length; i++) {
            PeerConnection peer = peers[i];
            views[i] = new StateReporter.PeerView(peer.connection, peer.role, peer.replication, peer.peerDisk);
            if (peer.connected() && peer.peerDisk == DiskState.UP_TO_DATE) {
                upToDateReplicas++;
            }
            if (peer.role == Role.PRIMARY) {
                primaryVisible = true;
            }
        }
        // The events2 printer's rule (drbd-events2.md): promotable when no Primary is visible and UpToDate
        // data is reachable; the score prefers nodes with a local disk and more UpToDate copies.
        boolean mayPromote = !primaryVisible && upToDateReplicas > 0;
        boolean hasData = disk == DiskState.INCONSISTENT || disk == DiskState.CONSISTENT
                || disk == DiskState.UP_TO_DATE;
        int score = (hasData ? 10000 : 0) + 100 * (disk == DiskState.UP_TO_DATE ? 1 : 0)
                + Math.min(upToDateReplicas, 99);
        return new StateReporter.View(role, mayPromote, score, disk, views);
    }

    // ---------------------------------------------------------------------------------------------
    // Transport and packets.

    private void onTransportConnected(EngineInput.TransportConnected input) {
        PeerConnection peer = peerOrNull(input.peerNodeId());
        if (peer == null || peer.connection != ConnState.CONNECTING) {
            // A socket we did not ask for (StandAlone, or already connected): refuse it.
            emit(new EngineOutput.CloseTransport(input.peerNodeId()));
            return;
        }
        if (input.socket() == Stream.DATA) {
            peer.dataUp = true;
        } else if (input.socket() == Stream.META) {
            peer.metaUp = true;
        } else {
            throw new IllegalArgumentException("a transport socket is DATA or META, not " + input.socket());
        }
        if (peer.dataUp && peer.metaUp && peer.stage == PeerConnection.Stage.IDLE) {
            handshake.start(peer);
        }
    }

    private void onTransportClosed(EngineInput.TransportClosed input) {
        PeerConnection peer = peerOrNull(input.peerNodeId());
        if (peer == null || peer.connection == ConnState.STANDALONE) {
            return;
        }
        if (!peer.dataUp && !peer.metaUp && peer.stage == PeerConnection.Stage.IDLE) {
            return;
        }
        ConnState reason;
        if (input.cause() == CloseCause.DECODE_ERROR) {
            reason = ConnState.PROTOCOL_ERROR;
        } else if (input.socket() == Stream.DATA && input.cause() == CloseCause.CLOSED_BY_PEER) {
            reason = ConnState.BROKEN_PIPE;
        } else {
            reason = ConnState.NETWORK_FAILURE;
        }
        logPeer(peer, input.socket() == Stream.META ? "meta connection shut down by peer: " + input.detail()
                : "sock was shut down by peer: " + input.detail());
        connectionLost(peer, reason, false);
    }

    private void onPacketReceived(EngineInput.PacketReceived input) {
        Packet packet = input.packet();
        PeerConnection peer = peerOrNull(input.peerNodeId());
        if (peer == null || peer.stage == PeerConnection.Stage.IDLE) {
            releaseIfPayload(packet);
            return;
        }
        if (input.socket() == Stream.META) {
            peer.lastMetaReceivedNs = nowNs;
            peer.pingOutstanding = false;
        }
        if (packet.type().stream() != Stream.EITHER && packet.type().stream() != input.socket()) {
            releaseIfPayload(packet);
            protocolError(peer, packet.type() + " arrived on the " + input.socket() + " socket");
            return;
        }
        if (peer.stage != PeerConnection.Stage.CONNECTED) {
            handshake.onPacket(peer, packet);
            return;
        }
        switch (packet.type()) {
            case P_PING:
                send(peer, Stream.META, EmptyPacket.PING_ACK);
                return;
            case P_PING_ACK:
                return;
            case P_TWOPC_PREPARE:
            case P_TWOPC_COMMIT:
            case P_TWOPC_ABORT:
            case P_TWOPC_YES:
            case P_TWOPC_NO:
            case P_TWOPC_RETRY:
            case P_STATE:
            case P_UUIDS110:
            case P_DISCONNECT:
                changes.onPacket(peer, packet);
                return;
            case P_UNPLUG_REMOTE:
                return;
            default:
                if (requests.onPacket(peer, packet) || receiver.onPacket(peer, packet)) {
                    return;
                }
                releaseIfPayload(packet);
                protocolError(peer, "unexpected packet " + packet.type() + " while connected");
        }
    }

    static void releaseIfPayload(Packet packet) {
        if (packet instanceof PayloadHolder holder) {
            holder.release();
        }
    }

    void protocolError(PeerConnection peer, String why) {
        logPeer(peer, why);
        connectionLost(peer, ConnState.PROTOCOL_ERROR, false);
    }

    /**
     * The connection to {@code peer} ended: show the reason state (none if {@code reason} is null), fail
     * what waited on it, mark the peer's bitmap, then go back to connecting — or, with
     * {@code standAlone}, through Disconnecting to StandAlone (needs an admin {@code connect}).
     */
    void connectionLost(PeerConnection peer, ConnState reason, boolean standAlone) {
        boolean wasConnected = peer.connected();
        boolean wasTrying = peer.connection == ConnState.CONNECTING;
        if (!wasConnected && !wasTrying) {
            return;
        }
        emit(new EngineOutput.CloseTransport(peer.nodeId()));
        liveness.cancelAll(peer);
        if (reason != null) {
            peer.connection = reason;
        } else if (standAlone) {
            peer.connection = ConnState.DISCONNECTING;
        }
        peer.role = Role.UNKNOWN;
        peer.replication = ReplicationState.OFF;
        peer.peerDisk = DiskState.DUNKNOWN;
        publishState();
        requests.onConnectionLost(peer);
        receiver.onConnectionLost(peer);
        changes.onConnectionLost(peer);
        peer.resetSession();
        if (standAlone) {
            if (peer.connection != ConnState.DISCONNECTING) {
                peer.connection = ConnState.DISCONNECTING;
                publishState();
            }
            peer.connection = ConnState.STANDALONE;
            publishState();
            return;
        }
        peer.connection = ConnState.UNCONNECTED;
        publishState();
        startConnecting(peer);
    }

    /** Unconnected → Connecting: ask the driver for the two sockets. */
    void startConnecting(PeerConnection peer) {
        peer.connection = ConnState.CONNECTING;
        publishState();
        emit(new EngineOutput.OpenTransport(peer.nodeId()));
    }

    // ---------------------------------------------------------------------------------------------
    // Disk completions.

    private void onDiskIoCompleted(EngineInput.DiskIoCompleted input) {
        DiskIo purpose = diskIos.remove(input.ioId());
        if (purpose == null) {
            if (input.data() != null) {
                input.data().release();
            }
            throw new IllegalArgumentException("disk I/O " + input.ioId() + " is not outstanding");
        }
        IoResult result = input.result();
        if (purpose instanceof DiskIo.LocalWrite local) {
            requests.onLocalWriteCompleted(local.request(), result);
        } else if (purpose instanceof DiskIo.LocalRead read) {
            emit(new EngineOutput.CompleteRequest(read.requestId(), result, result.ok() ? input.data() : null));
            if (!result.ok() && input.data() != null) {
                input.data().release();
            }
            return;
        } else if (purpose instanceof DiskIo.LocalFlush flush) {
            requests.onLocalFlushCompleted(flush.waiter(), result);
        } else if (purpose instanceof DiskIo.PeerWriteIo write) {
            receiver.onPeerWriteCompleted(write, result);
        } else if (purpose instanceof DiskIo.EpochFlush flush) {
            receiver.onEpochFlushCompleted(flush, result);
        }
        if (input.data() != null) {
            input.data().release();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Invariants, checked after every step.

    void checkInvariants() {
        int primaries = role == Role.PRIMARY ? 1 : 0;
        for (PeerConnection peer : peers) {
            if (peer.connected() && peer.role == Role.PRIMARY) {
                primaries++;
            }
            if (!peer.connected()) {
                check(peer.peerDisk == DiskState.DUNKNOWN, "peer-disk of an unconnected peer is DUnknown");
                check(peer.role == Role.UNKNOWN, "role of an unconnected peer is Unknown");
            }
            check(peer.connected() == (peer.stage == PeerConnection.Stage.CONNECTED),
                    "Connected exactly when the handshake finished");
            check(peer.unackedEpochs.size() <= requests.transferLogSize() + 1,
                    "every unacked epoch holds requests");
        }
        check(primaries <= 1 || config.allowTwoPrimaries(), "one Primary unless allow-two-primaries");
        check(role != Role.PRIMARY || disk == DiskState.UP_TO_DATE || peersUpToDate() > 0,
                "a Primary has access to UpToDate data");
        check(exposedSizeBytes <= config.deviceSizeBytes(), "exposed size fits the backing device");
        requests.checkInvariants();
        assert bitmapsConsistent() : "bitmap counters match the bits";
        // linear in al-extents: under -ea only (every test JVM), as STYLE.md asks of expensive checks
        assert activityLogConsistent();
    }

    private boolean activityLogConsistent() {
        activityLog.checkInvariants();
        return true;
    }

    private boolean bitmapsConsistent() {
        for (PeerConnection peer : peers) {
            if (peer.bitmap.countSlow() != peer.bitmap.outOfSyncBlocks()) {
                return false;
            }
        }
        return true;
    }

    int peersUpToDate() {
        int count = 0;
        for (PeerConnection peer : peers) {
            if (peer.connected() && peer.peerDisk == DiskState.UP_TO_DATE) {
                count++;
            }
        }
        return count;
    }

    static void check(boolean condition, String invariant) {
        if (!condition) {
            throw new IllegalStateException("engine invariant violated: " + invariant);
        }
    }
}
