package io.jdrbd.replication.engine;

import io.netty.buffer.ByteBuf;

/**
 * One upper-layer write (or trim / write-zeroes) in the transfer log: a local part and one network part
 * per peer. It completes to the upper layer when the protocol's condition holds, and leaves the log
 * ("done") once every peer's part is barrier-acked or lost.
 */
final class WriteRequest {

    enum Op {
        WRITE, TRIM, ZEROES
    }

    /** This peer gets no packet for the request (not connected when it was issued). */
    static final byte NET_NONE = 0;
    /** Sent; waiting for the ack the protocol requires (B: P_RECV_ACK, C: P_WRITE_ACK). */
    static final byte NET_PENDING = 1;
    /** Acked (or, protocol A, handed to the transport); waiting for the epoch's barrier ack. */
    static final byte NET_OK = 2;
    /** Negatively acked or the connection was lost: the blocks are out of sync towards that peer. */
    static final byte NET_FAILED = 3;

    final long requestId;
    final long blockId;
    final Op op;
    final long offsetBytes;
    final long lengthBytes;
    final int flags;
    final boolean mayUnmap;
    final int epoch;
    final long issuedNs;
    /** Position in this node's write stream (sectors, DRBD 9 dagtag) after this write. */
    long dagtag;
    /** The engine's own reference to the payload (writes only), released when the request is done. */
    ByteBuf data;
    boolean localDone;
    boolean localOk;
    boolean completed;
    final byte[] net;
    final boolean[] barrierAcked;

    WriteRequest(long requestId, long blockId, Op op, long offsetBytes, long lengthBytes, int flags, boolean mayUnmap,
                 int epoch, long issuedNs, ByteBuf data, int peerCount) {
        this.requestId = requestId;
        this.blockId = blockId;
        this.op = op;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
        this.flags = flags;
        this.mayUnmap = mayUnmap;
        this.epoch = epoch;
        this.issuedNs = issuedNs;
        this.data = data;
        this.net = new byte[peerCount];
        this.barrierAcked = new boolean[peerCount];
    }

    /** No part towards any peer still waits for an ack: the protocol's network condition holds. */
    boolean networkSettled() {
        for (byte state : net) {
            if (state == NET_PENDING) {
                return false;
            }
        }
        return true;
    }

    /** The write reached at least one copy: the local disk or any peer. */
    boolean anyOk() {
        if (localDone && localOk) {
            return true;
        }
        for (byte state : net) {
            if (state == NET_OK) {
                return true;
            }
        }
        return false;
    }

    boolean doneTowards(int peerIndex) {
        byte state = net[peerIndex];
        return state == NET_NONE || state == NET_FAILED || barrierAcked[peerIndex];
    }

    boolean done() {
        if (!localDone || !completed) {
            return false;
        }
        for (int i = 0; i < net.length; i++) {
            if (!doneTowards(i)) {
                return false;
            }
        }
        return true;
    }

    long sector() {
        return offsetBytes >>> 9;
    }
}
