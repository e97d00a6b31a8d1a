package io.jdrbd.sim;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * One simulated node's replication logic as the cluster drives it. The production implementation
 * wraps the sans-I/O engine ({@link EngineNode}); tests may plug in deliberately broken variants to
 * prove that the checkers catch them. A node talks to the world only through its {@link NodeContext}
 * (network, disks, timers, completions), so everything it does is scheduled and traced.
 */
public interface ReplicaNode {

    /** Creates the node's logic for one life (a restart after a crash creates a new one). */
    @FunctionalInterface
    interface Factory {
        ReplicaNode create(NodeContext context);
    }

    /** Administrative actions of the scenario vocabulary (drbdadm's words). */
    enum AdminAction { UP, PRIMARY, PRIMARY_FORCE, SECONDARY, CONNECT, DISCONNECT, DOWN }

    /** The result of an administrative action. */
    record AdminResult(boolean ok, String message) {
        public static final AdminResult OK = new AdminResult(true, "");
    }

    /** Boots the node from whatever its disks hold (attach, then start connecting). */
    void start();

    /** An upper-layer write; takes ownership of {@code data}; completes through the context. */
    void submitWrite(long requestId, long offsetBytes, ByteBuf data, int flags);

    /** An upper-layer flush (all completed writes durable locally and on the peers); completes as a write. */
    void submitFlush(long requestId);

    /** An upper-layer read; completes through the context with the data. */
    void submitRead(long requestId, long offsetBytes, int lengthBytes);

    /** An administrative action (peer -1 for resource-wide actions); replies asynchronously. */
    void admin(AdminAction action, int peer, Consumer<AdminResult> reply);

    /** The node's current states, in the events2 vocabulary. */
    NodeView view();

    /**
     * Fault hook: silently drop packets of {@code packetType} arriving from {@code fromPeer} until
     * virtual time {@code untilNs} (after decoding, before the node sees them). Returns false when this
     * node kind cannot do it.
     */
    default boolean dropIncoming(int fromPeer, io.jdrbd.replication.wire.PacketType packetType, long untilNs) {
        return false;
    }

    /**
     * Nothing of the node's own is in progress: no disk I/O it waits for, no received bytes it holds
     * back, no client request open. Used to tell a lagging replica from a divergent one.
     */
    default boolean idle() {
        return view().pendingRequests() == 0;
    }

    /** The node's recent log lines (refusal reasons, timeouts), oldest first, for failure reports. */
    default java.util.List<String> recentLog() {
        return java.util.List.of();
    }

    /** The host crashed: forget every in-memory state and release every buffer held. */
    void crash();

    /** End of the run: release everything (no further events follow). */
    void shutdown();
}
