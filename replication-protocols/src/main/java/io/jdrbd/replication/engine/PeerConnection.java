package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.ProtocolPacket;
import io.jdrbd.replication.wire.Role;
import io.jdrbd.replication.wire.SizesPacket;
import io.jdrbd.replication.wire.Uuids110Packet;
import java.util.ArrayDeque;

/** Everything the engine knows about one peer: states, handshake progress, epochs, liveness. */
final class PeerConnection {

    /** Where the connection handshake stands. */
    enum Stage {
        /** No sockets, or waiting for the second one. */
        IDLE,
        /** P_CONNECTION_FEATURES sent, waiting for the peer's. */
        FEATURES,
        /** Challenge sent, waiting for the peer's challenge and response. */
        AUTH,
        /** P_PROTOCOL sent, waiting for the peer's. */
        PROTOCOL,
        /** Initial packets (sizes, UUIDs, state) and the connect two-phase commit. */
        PARAMETERS,
        /** Connected: replication runs. */
        CONNECTED
    }

    /** A closed epoch sent to this peer, waiting for its P_BARRIER_ACK. */
    record SentEpoch(int epoch, int setSize, long barrierSentNs) {
    }

    static final int TIMER_PING = 0;
    static final int TIMER_REQUEST = 1;
    static final int TIMER_HANDSHAKE = 2;
    static final int TIMER_TWOPC = 3;
    private static final int TIMERS_PER_PEER = 8;

    final EngineConfig.PeerConfig config;
    final int index;
    final OutOfSyncBitmap bitmap;

    ConnState connection = ConnState.STANDALONE;
    Role role = Role.UNKNOWN;
    ReplicationState replication = ReplicationState.OFF;
    DiskState peerDisk = DiskState.DUNKNOWN;

    boolean dataUp;
    boolean metaUp;
    Stage stage = Stage.IDLE;
    /** Bumped whenever the connection is torn down, so late disk completions of an old session are ignored. */
    int session;
    byte[] ownChallenge;
    boolean peerAuthenticated;
    int agreedProtocol;
    int agreedFeatures;
    ProtocolPacket peerProtocol;
    SizesPacket peerSizes;
    Uuids110Packet peerUuids;
    DiskState peerReportedDisk;
    Role peerReportedRole;
    boolean initialPacketsSent;
    int connectTid;
    boolean connectPrepared;
    boolean connectYes;
    boolean discardMyData;

    /** Our per-connection sequence counter for P_DATA/P_TRIM/P_ZEROES and acks. */
    int sendSeq;
    /** Writes sent to this peer in the epoch that is still open. */
    int writesInOpenEpoch;
    int openEpoch = -1;
    final ArrayDeque<SentEpoch> unackedEpochs = new ArrayDeque<>();

    final ReceiveLog receive;

    boolean pingOutstanding;
    long pingSentNs;
    long lastMetaReceivedNs;

    PeerConnection(EngineConfig.PeerConfig config, int index, OutOfSyncBitmap bitmap, int maxBuffers) {
        this.config = config;
        this.index = index;
        this.bitmap = bitmap;
        this.receive = new ReceiveLog(maxBuffers);
    }

    int nodeId() {
        return config.nodeId();
    }

    long timerId(int kind) {
        return (long) (config.nodeId() + 1) * TIMERS_PER_PEER + kind;
    }

    static int peerNodeIdOfTimer(long timerId) {
        return (int) (timerId / TIMERS_PER_PEER) - 1;
    }

    static int kindOfTimer(long timerId) {
        return (int) (timerId % TIMERS_PER_PEER);
    }

    boolean connected() {
        return connection == ConnState.CONNECTED;
    }

    /** Replicate writes to this peer: connected, established, and the peer has a disk to write to. */
    boolean replicating() {
        return connected() && replication == ReplicationState.ESTABLISHED
                && peerDisk.code() >= DiskState.INCONSISTENT.code();
    }

    /** Forget the handshake and the session's bookkeeping (the caller handled requests and buffers). */
    void resetSession() {
        session++;
        dataUp = false;
        metaUp = false;
        stage = Stage.IDLE;
        ownChallenge = null;
        peerAuthenticated = false;
        agreedProtocol = 0;
        agreedFeatures = 0;
        peerProtocol = null;
        peerSizes = null;
        peerUuids = null;
        peerReportedDisk = null;
        peerReportedRole = null;
        initialPacketsSent = false;
        connectTid = 0;
        connectPrepared = false;
        connectYes = false;
        sendSeq = 0;
        writesInOpenEpoch = 0;
        openEpoch = -1;
        unackedEpochs.clear();
        pingOutstanding = false;
    }

    int nextSeq() {
        sendSeq++;
        return sendSeq;
    }
}
