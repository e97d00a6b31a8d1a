package io.jdrbd.replication.engine;

import io.jdrbd.replication.engine.EngineInput.AdminCommand;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.DrbdState;
import io.jdrbd.replication.wire.Header;
import io.jdrbd.replication.wire.Limits;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.Role;
import io.jdrbd.replication.wire.StateField;
import io.jdrbd.replication.wire.StatePacket;
import io.jdrbd.replication.wire.Stream;
import io.jdrbd.replication.wire.TwopcReply;
import io.jdrbd.replication.wire.TwopcRequest;
import io.jdrbd.replication.wire.UuidFlags;
import io.jdrbd.replication.wire.Uuids110Packet;

/**
 * Admin state changes (primary, secondary, connect, disconnect, new-current-uuid, down) with DRBD's
 * refusal rules, and the two-phase commits that make promotion, demotion and graceful disconnect
 * cluster-wide; plus the state and UUID packets that keep a connected peer's view current.
 */
final class ClusterChanges {

    private static final DrbdState ROLE_MASK = DrbdState.maskOf(StateField.ROLE);
    private static final DrbdState CONN_MASK = DrbdState.maskOf(StateField.CONN);

    /** The cluster-wide change this node started and is waiting on. */
    private static final class Pending {
        final long replyId;
        final AdminVerb verb;
        final int tid;
        final boolean force;
        final boolean[] awaiting;
        final DrbdState mask;
        final DrbdState val;
        final int targetIndex;

        Pending(long replyId, AdminVerb verb, int tid, boolean force, int peerCount, DrbdState mask, DrbdState val,
                int targetIndex) {
            this.replyId = replyId;
            this.verb = verb;
            this.tid = tid;
            this.force = force;
            this.awaiting = new boolean[peerCount];
            this.mask = mask;
            this.val = val;
            this.targetIndex = targetIndex;
        }
    }

    private final Engine engine;
    private Pending pending;
    /** A transaction a peer prepared here: its tid and mask/val, until COMMIT or ABORT. */
    private final TwopcRequest[] prepared;

    ClusterChanges(Engine engine) {
        this.engine = engine;
        this.prepared = new TwopcRequest[engine.peers.length];
    }

    void onAdminCommand(AdminCommand command) {
        switch (command.verb()) {
            case PRIMARY:
                promote(command);
                return;
            case SECONDARY:
                demote(command);
                return;
            case CONNECT:
                connect(command);
                return;
            case DISCONNECT:
                disconnect(command);
                return;
            case NEW_CURRENT_UUID:
                newCurrentUuid(command);
                return;
            case DOWN:
                down(command);
                return;
            default:
                throw new AssertionError("unhandled admin verb " + command.verb());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Role changes.

    private void promote(AdminCommand command) {
        if (engine.role == Role.PRIMARY) {
            engine.reply(command.replyId(), StateChangeResult.NOTHING_TO_DO);
            return;
        }
        StateChangeResult refusal = promotionRefusal(command.has(AdminCommand.FORCE));
        if (refusal != null) {
            engine.log("State change failed: (" + refusal.code() + ") " + refusal.text());
            engine.reply(command.replyId(), refusal);
            return;
        }
        startChange(command, ROLE_MASK, DrbdState.ZERO.with(StateField.ROLE, Role.PRIMARY.code()), -1);
    }

    /** DRBD's refusal rules for becoming Primary (drbd-semantics.md §1.6), or null if allowed. */
    private StateChangeResult promotionRefusal(boolean force) {
        if (pending != null) {
            return StateChangeResult.CONCURRENT_ST_CHG;
        }
        for (PeerConnection peer : engine.peers) {
            if (peer.stage != PeerConnection.Stage.IDLE && peer.stage != PeerConnection.Stage.CONNECTED) {
                return StateChangeResult.IN_TRANSIENT_STATE;
            }
            if (peer.connected() && peer.role == Role.PRIMARY && !engine.config.allowTwoPrimaries()) {
                return StateChangeResult.TWO_PRIMARIES;
            }
        }
        if (engine.disk == DiskState.UP_TO_DATE) {
            return null;
        }
        // This engine serves reads only from its own disk, so unlike DRBD a Primary needs local UpToDate data;
        // --force makes Inconsistent/Outdated/Consistent data UpToDate when no peer has better data.
        if (force && engine.disk.code() >= DiskState.INCONSISTENT.code() && engine.peersUpToDate() == 0) {
            return null;
        }
        return StateChangeResult.NO_UP_TO_DATE_DISK;
    }

    private void demote(AdminCommand command) {
        if (engine.role != Role.PRIMARY) {
            engine.reply(command.replyId(), StateChangeResult.NOTHING_TO_DO);
            return;
        }
        if (pending != null) {
            engine.reply(command.replyId(), StateChangeResult.CONCURRENT_ST_CHG);
            return;
        }
        startChange(command, ROLE_MASK, DrbdState.ZERO.with(StateField.ROLE, Role.SECONDARY.code()), -1);
    }

    /** Prepares the change on every connected peer (or {@code targetIndex} only), or commits at once if none. */
    private void startChange(AdminCommand command, DrbdState mask, DrbdState val, int targetIndex) {
        int tid;
        do {
            tid = (int) engine.entropy.nextLong();
        } while (tid == 0);
        Pending change = new Pending(command.replyId(), command.verb(), tid, command.has(AdminCommand.FORCE),
                engine.peers.length, mask, val, targetIndex);
        boolean any = false;
        for (PeerConnection peer : engine.peers) {
            if (!peer.connected() || (targetIndex >= 0 && peer.index != targetIndex)) {
                continue;
            }
            int target = targetIndex >= 0 ? peer.nodeId() : TwopcRequest.ALL_NODES;
            engine.send(peer, Stream.DATA, TwopcRequest.prepare(Header.CONNECTION_VOLUME, tid, 0,
                    engine.config.nodeId(), target, 0, mask, val));
            change.awaiting[peer.index] = true;
            engine.liveness.arm(peer, PeerConnection.TIMER_TWOPC, engine.nowNs + twopcTimeoutNs());
            any = true;
        }
        pending = change;
        if (!any) {
            commit();
        }
    }

    /** DRBD's twopc-timeout default: 30 s. */
    private static long twopcTimeoutNs() {
        return 30_000_000_000L;
    }

    private void commit() {
        Pending change = pending;
        pending = null;
        for (PeerConnection peer : engine.peers) {
            engine.liveness.cancel(peer, PeerConnection.TIMER_TWOPC);
            if (peer.connected() && (change.targetIndex < 0 || peer.index == change.targetIndex)) {
                engine.send(peer, Stream.DATA, TwopcRequest.finish(PacketType.P_TWOPC_COMMIT,
                        Header.CONNECTION_VOLUME, change.tid, 0, engine.config.nodeId(),
                        change.targetIndex >= 0 ? peer.nodeId() : TwopcRequest.ALL_NODES, 0, primaryNodes(),
                        change.mask, change.val));
            }
        }
        switch (change.verb) {
            case PRIMARY:
                becomePrimary(change.force);
                break;
            case SECONDARY:
                becomeSecondary();
                break;
            case DISCONNECT:
                engine.connectionLost(engine.peers[change.targetIndex], null, true);
                break;
            default:
                throw new AssertionError("no two-phase commit for " + change.verb);
        }
        engine.reply(change.replyId, StateChangeResult.SUCCESS);
    }

    private void abort(StateChangeResult why) {
        Pending change = pending;
        pending = null;
        for (PeerConnection peer : engine.peers) {
            engine.liveness.cancel(peer, PeerConnection.TIMER_TWOPC);
            if (peer.connected() && (change.targetIndex < 0 || peer.index == change.targetIndex)) {
                engine.send(peer, Stream.DATA, TwopcRequest.finish(PacketType.P_TWOPC_ABORT,
                        Header.CONNECTION_VOLUME, change.tid, 0, engine.config.nodeId(),
                        change.targetIndex >= 0 ? peer.nodeId() : TwopcRequest.ALL_NODES, 0, primaryNodes(),
                        change.mask, change.val));
            }
        }
        engine.log("State change failed: (" + why.code() + ") " + why.text());
        engine.reply(change.replyId, why);
    }

    private void becomePrimary(boolean forced) {
        engine.role = Role.PRIMARY;
        if (forced && engine.disk != DiskState.UP_TO_DATE) {
            engine.log("Forced to consider local data as UpToDate!");
            engine.disk = DiskState.UP_TO_DATE;
            long tracking = 0;
            for (PeerConnection peer : engine.peers) {
                tracking |= 1L << peer.nodeId();
            }
            engine.uuids.newCurrent(engine.entropy.nextLong(), tracking, true);
            engine.uuids.setFlag(MetadataRecord.MDF_CONSISTENT, true);
            engine.uuids.setFlag(MetadataRecord.MDF_WAS_UP_TO_DATE, true);
            broadcastState();
        } else {
            engine.uuids.markPrimary(true);
            engine.requests.newCurrentUuidPending = true;
        }
        engine.uuids.setFlag(MetadataRecord.MDF_PRIMARY_IND, true);
        engine.uuids.setFlag(MetadataRecord.MDF_CRASHED_PRIMARY, true);
        writeMetadata();
    }

    private void becomeSecondary() {
        engine.role = Role.SECONDARY;
        engine.uuids.markPrimary(false);
        engine.requests.newCurrentUuidPending = false;
        engine.uuids.setFlag(MetadataRecord.MDF_CRASHED_PRIMARY, false);
        boolean primaryPeer = false;
        for (PeerConnection peer : engine.peers) {
            primaryPeer |= peer.role == Role.PRIMARY;
        }
        engine.uuids.setFlag(MetadataRecord.MDF_PRIMARY_IND, primaryPeer);
        writeMetadata();
    }

    private void writeMetadata() {
        engine.emit(new EngineOutput.WriteMetadata(engine.newIoId(), engine.uuids.snapshot()));
    }

    private long primaryNodes() {
        long mask = engine.role == Role.PRIMARY ? 1L << engine.config.nodeId() : 0;
        for (PeerConnection peer : engine.peers) {
            if (peer.connected() && peer.role == Role.PRIMARY) {
                mask |= 1L << peer.nodeId();
            }
        }
        return mask;
    }

    // ---------------------------------------------------------------------------------------------
    // Connections.

    private void connect(AdminCommand command) {
        boolean changed = false;
        for (PeerConnection peer : engine.peers) {
            if (!selects(command, peer) || peer.connection != ConnState.STANDALONE) {
                continue;
            }
            peer.discardMyData = command.has(AdminCommand.DISCARD_MY_DATA);
            peer.connection = ConnState.UNCONNECTED;
            engine.publishState();
            engine.startConnecting(peer);
            changed = true;
        }
        engine.reply(command.replyId(), changed ? StateChangeResult.SUCCESS : StateChangeResult.NOTHING_TO_DO);
    }

    private void disconnect(AdminCommand command) {
        PeerConnection graceful = null;
        boolean any = false;
        for (PeerConnection peer : engine.peers) {
            if (!selects(command, peer) || peer.connection == ConnState.STANDALONE) {
                continue;
            }
            any = true;
            if (peer.connected() && !command.has(AdminCommand.FORCE) && pending == null && graceful == null) {
                graceful = peer;
            } else {
                engine.connectionLost(peer, null, true);
            }
        }
        if (!any) {
            engine.reply(command.replyId(), StateChangeResult.ALREADY_STANDALONE);
            return;
        }
        if (graceful == null) {
            engine.reply(command.replyId(), StateChangeResult.SUCCESS);
            return;
        }
        // Graceful: a cluster-wide change to Disconnecting, so the peer expects the close (TearDown).
        startChange(command, CONN_MASK, DrbdState.ZERO.with(StateField.CONN, ConnState.DISCONNECTING.code()),
                graceful.index);
    }

    private static boolean selects(AdminCommand command, PeerConnection peer) {
        return command.peerNodeId() == AdminCommand.ALL_PEERS || command.peerNodeId() == peer.nodeId();
    }

    private void down(AdminCommand command) {
        for (PeerConnection peer : engine.peers) {
            if (peer.connection != ConnState.STANDALONE) {
                engine.connectionLost(peer, null, true);
            }
        }
        if (pending != null) {
            abort(StateChangeResult.INTERRUPTED);
        }
        if (engine.role == Role.PRIMARY) {
            becomeSecondary();
        }
        engine.reply(command.replyId(), StateChangeResult.SUCCESS);
    }

    /**
     * {@code new-current-uuid [--clear-bitmap]}: a new data generation. With --clear-bitmap (skip the initial
     * sync of fresh devices) every bitmap is cleared, this disk becomes UpToDate, and connected just-created
     * peers are told to adopt the new UUID (UUID_FLAG_SKIP_INITIAL_SYNC).
     */
    private void newCurrentUuid(AdminCommand command) {
        boolean clear = command.has(AdminCommand.CLEAR_BITMAP);
        for (PeerConnection peer : engine.peers) {
            if (peer.connected() && !peerJustCreated(peer)) {
                engine.reply(command.replyId(), StateChangeResult.IN_TRANSIENT_STATE);
                return;
            }
        }
        long fresh = engine.entropy.nextLong();
        if (clear) {
            engine.uuids.newCurrentClearingBitmaps(fresh, engine.role == Role.PRIMARY);
            for (PeerConnection peer : engine.peers) {
                peer.bitmap.clearAll();
            }
            engine.disk = DiskState.UP_TO_DATE;
            engine.uuids.setFlag(MetadataRecord.MDF_CONSISTENT, true);
            engine.uuids.setFlag(MetadataRecord.MDF_WAS_UP_TO_DATE, true);
        } else {
            long tracking = 0;
            for (PeerConnection peer : engine.peers) {
                if (!peer.connected()) {
                    tracking |= 1L << peer.nodeId();
                }
            }
            engine.uuids.newCurrent(fresh, tracking, engine.role == Role.PRIMARY);
        }
        writeMetadata();
        for (PeerConnection peer : engine.peers) {
            if (peer.connected()) {
                engine.send(peer, Stream.DATA, uuidsPacket(peer, clear ? UuidFlags.UUID_FLAG_SKIP_INITIAL_SYNC : 0));
                sendState(peer);
            }
        }
        engine.reply(command.replyId(), StateChangeResult.SUCCESS);
    }

    private static boolean peerJustCreated(PeerConnection peer) {
        long current = peer.peerUuids == null ? 0 : peer.peerUuids.currentUuid() & ~GenerationUuids.UUID_PRIMARY;
        return current == MetadataRecord.UUID_JUST_CREATED || current == 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Packets while connected.

    void onPacket(PeerConnection peer, Packet packet) {
        switch (packet.type()) {
            case P_TWOPC_PREPARE:
                onPrepare(peer, (TwopcRequest) packet);
                return;
            case P_TWOPC_COMMIT:
                onCommit(peer, (TwopcRequest) packet);
                return;
            case P_TWOPC_ABORT:
                if (prepared[peer.index] != null && prepared[peer.index].tid() == ((TwopcRequest) packet).tid()) {
                    prepared[peer.index] = null;
                }
                return;
            case P_TWOPC_YES:
            case P_TWOPC_NO:
            case P_TWOPC_RETRY:
                onReply(peer, (TwopcReply) packet);
                return;
            case P_STATE:
                onState(peer, (StatePacket) packet);
                return;
            case P_UUIDS110:
                onUuids(peer, (Uuids110Packet) packet);
                return;
            case P_DISCONNECT:
                engine.logPeer(peer, "peer announced P_DISCONNECT");
                engine.connectionLost(peer, null, true);
                return;
            default:
                throw new AssertionError("not a cluster-change packet: " + packet.type());
        }
    }

    private void onPrepare(PeerConnection peer, TwopcRequest request) {
        DrbdState val = request.val();
        boolean roleChange = (request.mask().word() & StateField.ROLE.mask()) != 0;
        boolean wantsPrimary = roleChange && val.role() == Role.PRIMARY;
        boolean busyPromoting = pending != null && pending.verb == AdminVerb.PRIMARY;
        boolean refuse = wantsPrimary && (engine.role == Role.PRIMARY || busyPromoting)
                && !engine.config.allowTwoPrimaries();
        if (!refuse) {
            prepared[peer.index] = request;
        }
        long reachable = (1L << engine.config.nodeId()) | (1L << peer.nodeId());
        engine.send(peer, Stream.META, new TwopcReply(refuse ? PacketType.P_TWOPC_NO : PacketType.P_TWOPC_YES,
                Header.CONNECTION_VOLUME, request.tid(), request.initiatorNodeId(), reachable, primaryNodes(), 0));
    }

    private void onCommit(PeerConnection peer, TwopcRequest commit) {
        TwopcRequest request = prepared[peer.index];
        if (request == null || request.tid() != commit.tid()) {
            return;
        }
        prepared[peer.index] = null;
        if ((request.mask().word() & StateField.ROLE.mask()) != 0) {
            Role role = request.val().role();
            peer.role = role == null ? Role.UNKNOWN : role;
        }
        if ((request.mask().word() & StateField.CONN.mask()) != 0
                && request.val().conn() == ConnState.DISCONNECTING) {
            // The peer leaves gracefully: we see TearDown, then try to reconnect.
            engine.connectionLost(peer, ConnState.TEAR_DOWN, false);
        }
    }

    private void onReply(PeerConnection peer, TwopcReply reply) {
        if (pending == null || reply.tid() != pending.tid || !pending.awaiting[peer.index]) {
            return;
        }
        pending.awaiting[peer.index] = false;
        engine.liveness.cancel(peer, PeerConnection.TIMER_TWOPC);
        if (reply.type() == PacketType.P_TWOPC_NO) {
            abort(pending.verb == AdminVerb.PRIMARY ? StateChangeResult.TWO_PRIMARIES
                    : StateChangeResult.CW_FAILED_BY_PEER);
        } else if (reply.type() == PacketType.P_TWOPC_RETRY) {
            abort(StateChangeResult.CONCURRENT_ST_CHG);
        } else {
            commitIfAllReplied();
        }
    }

    private void commitIfAllReplied() {
        for (boolean waiting : pending.awaiting) {
            if (waiting) {
                return;
            }
        }
        commit();
    }

    void onTwopcTimeout() {
        if (pending != null) {
            abort(StateChangeResult.TIMEOUT);
        }
    }

    private void onState(PeerConnection peer, StatePacket packet) {
        DrbdState state = packet.state();
        if (state.role() != null) {
            peer.role = state.role();
        }
        if (packet.volume() != Header.CONNECTION_VOLUME && state.disk() != null
                && state.disk() != DiskState.NEGOTIATING) {
            peer.peerDisk = state.disk();
        }
    }

    private void onUuids(PeerConnection peer, Uuids110Packet packet) {
        peer.peerUuids = packet;
        long flags = packet.uuidFlags();
        if ((flags & UuidFlags.UUID_FLAG_SKIP_INITIAL_SYNC) != 0 && engine.uuids.justCreated()
                && engine.disk == DiskState.INCONSISTENT) {
            // The peer cleared its bitmaps on fresh devices: adopt its generation, no initial sync.
            engine.uuids.adoptCurrent(packet.currentUuid());
            engine.disk = DiskState.UP_TO_DATE;
            engine.uuids.setFlag(MetadataRecord.MDF_CONSISTENT, true);
            engine.uuids.setFlag(MetadataRecord.MDF_WAS_UP_TO_DATE, true);
            writeMetadata();
            broadcastState();
        } else if ((flags & UuidFlags.UUID_FLAG_NEW_DATAGEN) != 0 && peer.role == Role.PRIMARY) {
            engine.uuids.adoptCurrent(packet.currentUuid());
            writeMetadata();
        }
    }

    void onConnectionLost(PeerConnection peer) {
        prepared[peer.index] = null;
        if (pending == null || !pending.awaiting[peer.index]) {
            return;
        }
        pending.awaiting[peer.index] = false;
        if (pending.targetIndex == peer.index) {
            // A graceful disconnect whose peer went away anyway: done.
            Pending change = pending;
            pending = null;
            engine.reply(change.replyId, StateChangeResult.SUCCESS);
            return;
        }
        commitIfAllReplied();
    }

    // ---------------------------------------------------------------------------------------------
    // Outgoing state and UUID packets.

    void broadcastState() {
        for (PeerConnection peer : engine.peers) {
            if (peer.connected()) {
                sendState(peer);
            }
        }
    }

    void sendState(PeerConnection peer) {
        engine.send(peer, Stream.DATA, new StatePacket(0, DrbdState.of(engine.role, peer.role,
                peer.replication.wire(), engine.disk, peer.peerDisk)));
    }

    void sendUuids(PeerConnection peer, boolean newDataGeneration) {
        engine.send(peer, Stream.DATA, uuidsPacket(peer, newDataGeneration ? UuidFlags.UUID_FLAG_NEW_DATAGEN : 0));
    }

    /** P_UUIDS110 towards {@code peer}: our UUIDs, one bitmap UUID per configured peer, 32 history slots. */
    Uuids110Packet uuidsPacket(PeerConnection peer, long extraFlags) {
        long flags = extraFlags | UuidFlags.UUID_FLAG_STABLE;
        if (engine.disk == DiskState.INCONSISTENT) {
            flags |= UuidFlags.UUID_FLAG_INCONSISTENT;
        }
        if (engine.uuids.crashedPrimary()) {
            flags |= UuidFlags.UUID_FLAG_CRASHED_PRIMARY;
        }
        if (peer.discardMyData) {
            flags |= UuidFlags.UUID_FLAG_DISCARD_MY_DATA;
        }
        long mask = 0;
        for (PeerConnection other : engine.peers) {
            mask |= 1L << other.nodeId();
        }
        long[] bitmaps = new long[engine.peers.length];
        for (int i = 0; i < engine.peers.length; i++) {
            bitmaps[i] = engine.uuids.bitmap(engine.peers[i].nodeId());
        }
        long[] history = java.util.Arrays.copyOf(engine.uuids.history(), Limits.HISTORY_UUIDS);
        return new Uuids110Packet(0, engine.uuids.current(), peer.bitmap.outOfSyncBlocks(), flags, 0, mask, bitmaps,
                history);
    }
}
