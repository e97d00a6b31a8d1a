package io.jdrbd.sim;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * One simulated TCP connection between two nodes on one stream (DRBD's data or meta socket): two
 * independent directions, each an ordered queue of byte chunks in flight. Created and driven only
 * by {@link SimNetwork}.
 */
public final class SimConnection {
    final long id;
    final int stream;
    final End initiator;
    final End acceptor;
    boolean established;
    boolean closed;

    SimConnection(long id, int initiatorNode, int acceptorNode, int stream) {
        this.id = id;
        this.stream = stream;
        this.initiator = new End(this, initiatorNode, acceptorNode);
        this.acceptor = new End(this, acceptorNode, initiatorNode);
        this.initiator.remote = acceptor;
        this.acceptor.remote = initiator;
    }

    public long id() {
        return id;
    }

    public int stream() {
        return stream;
    }

    public boolean established() {
        return established && !closed;
    }

    /** One side of the connection, as the node on that side sees it. */
    public static final class End {
        final SimConnection connection;
        final int localNode;
        final int remoteNode;
        End remote;
        /** Chunks sent from this end, not yet delivered to the remote end. */
        final ArrayDeque<Chunk> outgoing = new ArrayDeque<>();
        long lastDueNs;
        Scheduler.Event pump;
        /** This end closed (or the remote reset it): nothing more is delivered to it. */
        boolean shut;
        /** The local side asked to close: the remote sees the close after the queued bytes. */
        boolean finQueued;

        End(SimConnection connection, int localNode, int remoteNode) {
            this.connection = connection;
            this.localNode = localNode;
            this.remoteNode = remoteNode;
        }

        public SimConnection connection() {
            return connection;
        }

        public int localNode() {
            return localNode;
        }

        public int remoteNode() {
            return remoteNode;
        }

        public int stream() {
            return connection.stream;
        }

        public boolean open() {
            return connection.established && !shut && !connection.closed;
        }

        @Override
        public String toString() {
            return "conn#" + connection.id + "[" + localNode + "->" + remoteNode + " s" + connection.stream + "]";
        }
    }

    /** Bytes in flight with the virtual time they arrive (null bytes: the FIN of a close). */
    static final class Chunk {
        final ByteBuf bytes;
        long dueNs;

        Chunk(ByteBuf bytes, long dueNs) {
            this.bytes = bytes;
            this.dueNs = dueNs;
        }
    }
}
