package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.AuthChallenge;
import io.jdrbd.replication.wire.AuthResponse;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.ConnectionFeatures;
import io.jdrbd.replication.wire.DagtagPacket;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.DrbdState;
import io.jdrbd.replication.wire.EmptyPacket;
import io.jdrbd.replication.wire.FeatureFlags;
import io.jdrbd.replication.wire.Header;
import io.jdrbd.replication.wire.Limits;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.ProtocolPacket;
import io.jdrbd.replication.wire.QueueLimits;
import io.jdrbd.replication.wire.Role;
import io.jdrbd.replication.wire.SizesPacket;
import io.jdrbd.replication.wire.StateField;
import io.jdrbd.replication.wire.StatePacket;
import io.jdrbd.replication.wire.Stream;
import io.jdrbd.replication.wire.SyncParamPacket;
import io.jdrbd.replication.wire.TwopcReply;
import io.jdrbd.replication.wire.TwopcRequest;
import io.jdrbd.replication.wire.UuidFlags;
import io.jdrbd.replication.wire.Uuids110Packet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Connection establishment once both sockets are up (drbd-wire-protocol.md §2–§3): P_CONNECTION_FEATURES,
 * cram-hmac authentication, P_PROTOCOL compatibility, then the connect two-phase commit started by the
 * node with the lower node id, around which both send their initial packets (sync parameters, sizes,
 * UUIDs, state). Both nodes decide the outcome from the same facts; this version connects when no resync
 * is needed and otherwise refuses with the reason.
 */
final class Handshake {

    /** Lowest and highest DRBD 9 protocol versions we speak (118: the connect two-phase-commit dialect). */
    static final int PROTOCOL_MIN = 118;
    static final int PROTOCOL_MAX = 122;
    /** What we advertise: trim, o_qlim in P_SIZES (dissectors expect 56 bytes), write-zeroes. */
    static final int OUR_FEATURES = FeatureFlags.DRBD_FF_TRIM | FeatureFlags.DRBD_FF_WSAME
            | FeatureFlags.DRBD_FF_WZEROES;
    /** The connect transaction: conn + role fields (drbd-wire-protocol.md §3.10). */
    static final DrbdState CONNECT_MASK = DrbdState.maskOf(StateField.CONN, StateField.ROLE);

    private final Engine engine;

    Handshake(Engine engine) {
        this.engine = engine;
    }

    void start(PeerConnection peer) {
        peer.stage = PeerConnection.Stage.FEATURES;
        engine.send(peer, Stream.DATA, new ConnectionFeatures(PROTOCOL_MIN, OUR_FEATURES, PROTOCOL_MAX,
                engine.config.nodeId(), peer.nodeId()));
        // The initial handshake must finish within 10 × ping-timeout, as the kernel's receive timeout.
        engine.liveness.arm(peer, PeerConnection.TIMER_HANDSHAKE, engine.nowNs + 10 * engine.config.pingTimeoutNs());
    }

    void onPacket(PeerConnection peer, Packet packet) {
        if (packet.type() == PacketType.P_PING) {
            engine.send(peer, Stream.META, EmptyPacket.PING_ACK);
            return;
        }
        if (packet.type() == PacketType.P_PING_ACK) {
            return;
        }
        switch (peer.stage) {
            case FEATURES:
                onFeaturesStage(peer, packet);
                return;
            case AUTH:
                onAuthStage(peer, packet);
                return;
            case PROTOCOL:
                onProtocolStage(peer, packet);
                return;
            default:
                onParametersStage(peer, packet);
        }
    }

    private void onFeaturesStage(PeerConnection peer, Packet packet) {
        if (!(packet instanceof ConnectionFeatures features)) {
            Engine.releaseIfPayload(packet);
            refuse(peer, "expected ConnectionFeatures packet, received: " + packet.type());
            return;
        }
        int peerMax = features.protocolMax() == 0 ? features.protocolMin() : features.protocolMax();
        if (PROTOCOL_MAX < features.protocolMin() || PROTOCOL_MIN > peerMax || peerMax < 118) {
            refuse(peer, "incompatible DRBD dialects: I support " + PROTOCOL_MIN + "-" + PROTOCOL_MAX
                    + ", peer supports " + features.protocolMin() + "-" + peerMax);
            return;
        }
        if (features.senderNodeId() != peer.nodeId() || features.receiverNodeId() != engine.config.nodeId()) {
            engine.logPeer(peer, "peer presented node-id " + features.senderNodeId() + " expecting "
                    + features.receiverNodeId() + "; configured " + peer.nodeId() + " and " + engine.config.nodeId());
            engine.connectionLost(peer, ConnState.NETWORK_FAILURE, false);
            return;
        }
        peer.agreedProtocol = Math.min(PROTOCOL_MAX, peerMax);
        peer.agreedFeatures = OUR_FEATURES & features.featureFlags();
        engine.logPeer(peer, "Handshake to peer " + peer.nodeId() + " successful: Agreed network protocol version "
                + peer.agreedProtocol);
        if (!engine.config.cramHmacAlg().isEmpty()) {
            peer.stage = PeerConnection.Stage.AUTH;
            peer.ownChallenge = new byte[Limits.CHALLENGE_BYTES];
            engine.entropy.nextBytes(peer.ownChallenge);
            engine.send(peer, Stream.DATA, new AuthChallenge(peer.ownChallenge));
        } else {
            sendProtocol(peer);
        }
    }

    private void onAuthStage(PeerConnection peer, Packet packet) {
        if (packet instanceof AuthChallenge challenge) {
            byte[] nonce = challenge.nonce();
            if (MessageDigest.isEqual(nonce, peer.ownChallenge)) {
                authenticationFailed(peer, "Peer presented the same challenge!");
                return;
            }
            engine.send(peer, Stream.DATA, new AuthResponse(hmac(nonce, engine.config.nodeId())));
            return;
        }
        if (packet instanceof AuthResponse response) {
            byte[] expected = hmac(peer.ownChallenge, peer.nodeId());
            if (!MessageDigest.isEqual(expected, response.digest())) {
                authenticationFailed(peer, "Authentication of peer failed");
                return;
            }
            peer.peerAuthenticated = true;
            engine.logPeer(peer, "Peer authenticated using " + expected.length + " bytes HMAC");
            sendProtocol(peer);
            return;
        }
        Engine.releaseIfPayload(packet);
        authenticationFailed(peer, "expected AuthChallenge packet, received: " + packet.type());
    }

    private void authenticationFailed(PeerConnection peer, String why) {
        engine.logPeer(peer, why);
        if (!"Authentication of peer failed".equals(why)) {
            engine.logPeer(peer, "Authentication of peer failed");
        }
        engine.connectionLost(peer, null, true);
    }

    /** HMAC(shared-secret, challenge ‖ nodeId as big-endian u32), as DRBD ≥ 110 computes it. */
    private byte[] hmac(byte[] challenge, int nodeId) {
        String algorithm = EngineConfig.javaHmacName(engine.config.cramHmacAlg());
        byte[] key = engine.config.sharedSecret().getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance(algorithm);
            // HMAC pads the key with zeros, so an empty secret equals a single zero byte (Java refuses empty keys).
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            mac.update(challenge);
            mac.update(new byte[] {(byte) (nodeId >>> 24), (byte) (nodeId >>> 16), (byte) (nodeId >>> 8),
                    (byte) nodeId});
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + algorithm + " is not available in this JVM", e);
        }
    }

    private void sendProtocol(PeerConnection peer) {
        EngineConfig config = engine.config;
        peer.stage = PeerConnection.Stage.PROTOCOL;
        engine.send(peer, Stream.DATA, new ProtocolPacket(PacketType.P_PROTOCOL, config.protocol().wireCode(),
                config.afterSb0p().code(), config.afterSb1p().code(), config.afterSb2p().code(),
                peer.discardMyData ? ProtocolPacket.CF_DISCARD_MY_DATA : 0, config.allowTwoPrimaries(), ""));
    }

    private void onProtocolStage(PeerConnection peer, Packet packet) {
        if (!(packet instanceof ProtocolPacket protocol) || protocol.type() != PacketType.P_PROTOCOL) {
            Engine.releaseIfPayload(packet);
            engine.protocolError(peer, "expected ReportProtocol packet, received: " + packet.type());
            return;
        }
        String incompatible = incompatibility(peer, protocol);
        if (incompatible != null) {
            refuse(peer, incompatible);
            return;
        }
        peer.peerProtocol = protocol;
        peer.stage = PeerConnection.Stage.PARAMETERS;
        if (engine.config.nodeId() < peer.nodeId()) {
            // The lower node id starts the connect transaction and sends its initial packets right after it.
            peer.connectTid = nonZeroTid();
            engine.send(peer, Stream.DATA, TwopcRequest.prepare(Header.CONNECTION_VOLUME, peer.connectTid, 0,
                    engine.config.nodeId(), peer.nodeId(), 0, CONNECT_MASK,
                    DrbdState.ZERO.with(StateField.CONN, ConnState.CONNECTED.code())
                            .with(StateField.ROLE, engine.role.code())));
            sendInitialPackets(peer);
        }
    }

    private int nonZeroTid() {
        int tid;
        do {
            tid = (int) engine.entropy.nextLong();
        } while (tid == 0);
        return tid;
    }

    /** The reason text if the peer's P_PROTOCOL is incompatible with ours (DRBD's wording), else null. */
    private String incompatibility(PeerConnection peer, ProtocolPacket protocol) {
        EngineConfig config = engine.config;
        if (protocol.protocol() != config.protocol().wireCode()) {
            Protocol theirs = Protocol.fromWireCode(protocol.protocol());
            return "incompatible communication protocols: mine " + config.protocol() + ", peer's "
                    + (theirs == null ? protocol.protocol() : theirs);
        }
        if (protocol.afterSb0p() != config.afterSb0p().mirrored().code()) {
            return "incompatible after-sb-0pri settings";
        }
        if (protocol.afterSb1p() != config.afterSb1p().mirrored().code()) {
            return "incompatible after-sb-1pri settings";
        }
        if (protocol.afterSb2p() != config.afterSb2p().mirrored().code()) {
            return "incompatible after-sb-2pri settings";
        }
        if (protocol.twoPrimaries() != config.allowTwoPrimaries()) {
            return "incompatible setting of the two-primaries options";
        }
        if ((protocol.connFlags() & ProtocolPacket.CF_DISCARD_MY_DATA) != 0 && peer.discardMyData) {
            return "incompatible discard-my-data settings";
        }
        if (!protocol.integrityAlg().isEmpty()) {
            return "incompatible data-integrity-alg (peer uses " + protocol.integrityAlg() + ", I use none)";
        }
        return null;
    }

    private void sendInitialPackets(PeerConnection peer) {
        peer.initialPacketsSent = true;
        engine.send(peer, Stream.DATA, new SyncParamPacket(0, 250, "", "", 20, 10, 100, 102400));
        QueueLimits limits = (peer.agreedFeatures & FeatureFlags.DRBD_FF_WSAME) == 0 ? null
                : new QueueLimits(4096, 512, 0, 4096, 0, 1, 0, 0, 0);
        engine.send(peer, Stream.DATA, new SizesPacket(0, engine.config.deviceSizeSectors(), 0,
                engine.exposedSizeBytes >>> 9, Limits.DRBD_MAX_BIO_SIZE, 0, 0, limits));
        engine.send(peer, Stream.DATA, engine.changes.uuidsPacket(peer, 0));
        engine.send(peer, Stream.DATA, new StatePacket(0, DrbdState.of(engine.role, Role.UNKNOWN,
                ConnState.CONNECTED, engine.disk, DiskState.DUNKNOWN)));
    }

    private void onParametersStage(PeerConnection peer, Packet packet) {
        switch (packet.type()) {
            case P_TWOPC_PREPARE:
                TwopcRequest prepare = (TwopcRequest) packet;
                if (engine.config.nodeId() < peer.nodeId() || prepare.initiatorNodeId() != peer.nodeId()) {
                    engine.protocolError(peer, "unexpected connect transaction from node " + prepare.initiatorNodeId());
                    return;
                }
                peer.connectTid = prepare.tid();
                peer.connectPrepared = true;
                sendInitialPackets(peer);
                break;
            case P_SYNC_PARAM89:
            case P_ENABLE_REPLICATION_NEXT:
            case P_PEER_DAGTAG:
                return;
            case P_SIZES:
                peer.peerSizes = (SizesPacket) packet;
                return;
            case P_UUIDS110:
                peer.peerUuids = (Uuids110Packet) packet;
                return;
            case P_STATE:
                StatePacket state = (StatePacket) packet;
                if (state.volume() != Header.CONNECTION_VOLUME) {
                    peer.peerReportedDisk = state.state().disk();
                }
                peer.peerReportedRole = state.state().role();
                break;
            case P_TWOPC_YES:
            case P_TWOPC_NO:
            case P_TWOPC_RETRY:
                onConnectReply(peer, (TwopcReply) packet);
                return;
            case P_TWOPC_COMMIT:
                if (((TwopcRequest) packet).tid() == peer.connectTid && peer.connectPrepared) {
                    established(peer);
                }
                return;
            case P_TWOPC_ABORT:
                // A "disconnect" verdict is followed by P_DISCONNECT; a "retry" by the connection closing.
                return;
            case P_DISCONNECT:
                engine.logPeer(peer, "peer announced P_DISCONNECT during the handshake");
                engine.connectionLost(peer, null, true);
                return;
            default:
                Engine.releaseIfPayload(packet);
                engine.protocolError(peer, "unexpected packet " + packet.type() + " during the connect handshake");
                return;
        }
        maybeAnswerConnect(peer);
        maybeCommitConnect(peer);
    }

    /** The higher node id answers the connect transaction once it has the initiator's parameters. */
    private void maybeAnswerConnect(PeerConnection peer) {
        if (engine.config.nodeId() < peer.nodeId() || !peer.connectPrepared || !haveParameters(peer)
                || peer.connectYes) {
            return;
        }
        String verdict = verdict(peer);
        peer.connectYes = verdict == null;
        long reachable = (1L << engine.config.nodeId()) | (1L << peer.nodeId());
        engine.send(peer, Stream.META, new TwopcReply(verdict == null ? PacketType.P_TWOPC_YES : PacketType.P_TWOPC_NO,
                Header.CONNECTION_VOLUME, peer.connectTid, peer.nodeId(), reachable, primaryNodes(peer), 0));
        if (verdict != null) {
            engine.logPeer(peer, verdict);
        }
    }

    private void onConnectReply(PeerConnection peer, TwopcReply reply) {
        if (engine.config.nodeId() > peer.nodeId() || reply.tid() != peer.connectTid) {
            engine.protocolError(peer, "unexpected " + reply.type() + " for transaction " + reply.tid());
            return;
        }
        if (reply.type() == PacketType.P_TWOPC_RETRY) {
            sendFinish(peer, PacketType.P_TWOPC_ABORT);
            engine.connectionLost(peer, ConnState.NETWORK_FAILURE, false);
            return;
        }
        if (reply.type() == PacketType.P_TWOPC_NO) {
            String verdict = haveParameters(peer) ? verdict(peer) : null;
            refuseWithDisconnect(peer, verdict == null ? "peer refused the connection" : verdict);
            return;
        }
        peer.connectYes = true;
        maybeCommitConnect(peer);
    }

    /** The initiator commits once the peer said yes and its own view of the parameters agrees. */
    private void maybeCommitConnect(PeerConnection peer) {
        if (engine.config.nodeId() > peer.nodeId() || !peer.connectYes || !haveParameters(peer)) {
            return;
        }
        String verdict = verdict(peer);
        if (verdict != null) {
            refuseWithDisconnect(peer, verdict);
            return;
        }
        sendFinish(peer, PacketType.P_TWOPC_COMMIT);
        established(peer);
    }

    private void sendFinish(PeerConnection peer, PacketType commitOrAbort) {
        engine.send(peer, Stream.DATA, TwopcRequest.finish(commitOrAbort, Header.CONNECTION_VOLUME, peer.connectTid,
                0, engine.config.nodeId(), peer.nodeId(), 0, primaryNodes(peer), CONNECT_MASK,
                DrbdState.ZERO.with(StateField.CONN, ConnState.CONNECTED.code())
                        .with(StateField.ROLE, engine.role.code())));
    }

    private long primaryNodes(PeerConnection peer) {
        long mask = engine.role == Role.PRIMARY ? 1L << engine.config.nodeId() : 0;
        if (peer.peerReportedRole == Role.PRIMARY) {
            mask |= 1L << peer.nodeId();
        }
        return mask;
    }

    private boolean haveParameters(PeerConnection peer) {
        return peer.peerSizes != null && peer.peerUuids != null && peer.peerReportedDisk != null
                && peer.initialPacketsSent;
    }

    /** Null if the two nodes may connect without a resync, else the reason they may not. */
    private String verdict(PeerConnection peer) {
        if (peer.peerSizes.dSize() == 0) {
            return "peer has no usable disk; diskless peers are not supported yet";
        }
        if (engine.role == Role.PRIMARY && peer.peerReportedRole == Role.PRIMARY
                && !engine.config.allowTwoPrimaries()) {
            return StateChangeResult.TWO_PRIMARIES.text();
        }
        UuidComparison.Result result = UuidComparison.compare(engine.uuids, engine.disk, peer.nodeId(),
                engine.config.nodeId(), peer.peerUuids, peerDisk(peer));
        return result.refusal();
    }

    /** A peer reporting Negotiating has its real disk state in the UUID flags. */
    private static DiskState peerDisk(PeerConnection peer) {
        if (peer.peerReportedDisk != DiskState.NEGOTIATING) {
            return peer.peerReportedDisk;
        }
        return (peer.peerUuids.uuidFlags() & UuidFlags.UUID_FLAG_INCONSISTENT) != 0 ? DiskState.INCONSISTENT
                : DiskState.CONSISTENT;
    }

    /** Both agreed: Connected, Established, the smaller device size. */
    private void established(PeerConnection peer) {
        peer.stage = PeerConnection.Stage.CONNECTED;
        peer.connection = ConnState.CONNECTED;
        peer.role = peer.peerReportedRole == null ? Role.SECONDARY : peer.peerReportedRole;
        peer.replication = ReplicationState.ESTABLISHED;
        peer.peerDisk = peerDisk(peer);
        peer.sendSeq = 0;
        long peerBytes = peer.peerSizes.dSize() << 9;
        if (peerBytes < engine.exposedSizeBytes) {
            engine.log("size: the peer has " + peerBytes + " bytes, shrinking the device from "
                    + engine.exposedSizeBytes);
            engine.exposedSizeBytes = peerBytes;
        }
        engine.liveness.cancel(peer, PeerConnection.TIMER_HANDSHAKE);
        engine.liveness.onConnected(peer);
        if (peer.bitmap.outOfSyncBlocks() > 0) {
            engine.logPeer(peer, "No resync, but " + peer.bitmap.outOfSyncBlocks() + " bits in bitmap!");
        }
        if (engine.role == Role.PRIMARY) {
            // Replication to this peer (re)starts: tell it where in our write stream we are.
            engine.send(peer, Stream.DATA, new DagtagPacket(engine.requests.dagtag()));
        }
        engine.logPeer(peer, "conn( Connecting -> Connected ) peer( Unknown -> " + peer.role.drbdName() + " )");
    }

    /** A permanent failure announced to the peer with P_DISCONNECT: both end StandAlone. */
    private void refuseWithDisconnect(PeerConnection peer, String why) {
        sendFinish(peer, PacketType.P_TWOPC_ABORT);
        engine.send(peer, Stream.DATA, EmptyPacket.DISCONNECT);
        refuse(peer, why);
    }

    /** A permanent failure: log why and go StandAlone (an admin {@code connect} tries again). */
    private void refuse(PeerConnection peer, String why) {
        engine.logPeer(peer, why);
        engine.connectionLost(peer, null, true);
    }

    void onTimeout(PeerConnection peer) {
        if (peer.stage != PeerConnection.Stage.CONNECTED && peer.stage != PeerConnection.Stage.IDLE) {
            engine.logPeer(peer, "connect handshake timed out in stage " + peer.stage);
            engine.connectionLost(peer, ConnState.NETWORK_FAILURE, false);
        }
    }
}
