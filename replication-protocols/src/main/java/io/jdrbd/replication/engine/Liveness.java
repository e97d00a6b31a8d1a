package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.EmptyPacket;
import io.jdrbd.replication.wire.Stream;

/**
 * Timers per peer (drbd-wire-protocol.md §6.2): the meta-socket ping (ping-int idle → P_PING, which must
 * be answered within ping-timeout, else NetworkFailure), the request timer (a write or epoch left
 * unacknowledged for timeout × ko-count → Timeout), the handshake timeout and the two-phase-commit
 * timeout. Timers are re-armed lazily when they fire, so acks on the hot path cost no timer output.
 */
final class Liveness {

    private final Engine engine;

    Liveness(Engine engine) {
        this.engine = engine;
    }

    void arm(PeerConnection peer, int kind, long deadlineNs) {
        engine.emit(new EngineOutput.ArmTimer(peer.timerId(kind), deadlineNs));
    }

    void cancel(PeerConnection peer, int kind) {
        engine.emit(new EngineOutput.CancelTimer(peer.timerId(kind)));
    }

    void cancelAll(PeerConnection peer) {
        cancel(peer, PeerConnection.TIMER_PING);
        cancel(peer, PeerConnection.TIMER_REQUEST);
        cancel(peer, PeerConnection.TIMER_HANDSHAKE);
        cancel(peer, PeerConnection.TIMER_TWOPC);
    }

    void onConnected(PeerConnection peer) {
        peer.lastMetaReceivedNs = engine.nowNs;
        peer.pingOutstanding = false;
        arm(peer, PeerConnection.TIMER_PING, engine.nowNs + engine.config.pingIntNs());
        if (engine.config.koCount() > 0) {
            arm(peer, PeerConnection.TIMER_REQUEST, engine.nowNs + engine.config.requestTimeoutNs());
        }
    }

    void onTimerExpired(long timerId) {
        PeerConnection peer = engine.peerOrNull(PeerConnection.peerNodeIdOfTimer(timerId));
        if (peer == null) {
            throw new IllegalArgumentException("timer " + timerId + " was never armed by this engine");
        }
        switch (PeerConnection.kindOfTimer(timerId)) {
            case PeerConnection.TIMER_PING:
                onPingTimer(peer);
                return;
            case PeerConnection.TIMER_REQUEST:
                onRequestTimer(peer);
                return;
            case PeerConnection.TIMER_HANDSHAKE:
                engine.handshake.onTimeout(peer);
                return;
            case PeerConnection.TIMER_TWOPC:
                engine.changes.onTwopcTimeout();
                return;
            default:
                throw new IllegalArgumentException("timer " + timerId + " has no kind");
        }
    }

    private void onPingTimer(PeerConnection peer) {
        if (!peer.connected()) {
            return;
        }
        long now = engine.nowNs;
        if (peer.pingOutstanding) {
            if (now >= peer.pingSentNs + engine.config.pingTimeoutNs()) {
                engine.logPeer(peer, "PingAck did not arrive in time.");
                engine.connectionLost(peer, ConnState.NETWORK_FAILURE, false);
                return;
            }
            arm(peer, PeerConnection.TIMER_PING, peer.pingSentNs + engine.config.pingTimeoutNs());
            return;
        }
        long idleDeadline = peer.lastMetaReceivedNs + engine.config.pingIntNs();
        if (now < idleDeadline) {
            arm(peer, PeerConnection.TIMER_PING, idleDeadline);
            return;
        }
        engine.send(peer, Stream.META, EmptyPacket.PING);
        peer.pingOutstanding = true;
        peer.pingSentNs = now;
        arm(peer, PeerConnection.TIMER_PING, now + engine.config.pingTimeoutNs());
    }

    private void onRequestTimer(PeerConnection peer) {
        if (!peer.connected()) {
            return;
        }
        long limitNs = engine.config.requestTimeoutNs();
        long oldest = engine.requests.oldestUnackedNs(peer);
        if (oldest >= 0 && engine.nowNs - oldest >= limitNs) {
            engine.logPeer(peer, "Remote failed to finish a request within ko-count * timeout");
            engine.connectionLost(peer, ConnState.TIMEOUT, false);
            return;
        }
        arm(peer, PeerConnection.TIMER_REQUEST, (oldest >= 0 ? oldest : engine.nowNs) + limitNs);
    }
}
