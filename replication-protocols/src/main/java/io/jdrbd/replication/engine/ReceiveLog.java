package io.jdrbd.replication.engine;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The secondary side of one connection: received writes grouped into epochs in arrival order. Writes of
 * the oldest (head) epoch are submitted to the disk at once; writes of later epochs wait until the head
 * epoch is finished — all its writes completed and the disk flushed — so the secondary never makes a write
 * of epoch N+1 stable before all of epoch N (DRBD's write-ordering method "flush"). Then P_BARRIER_ACK is
 * sent and the next epoch's writes go to the disk.
 */
final class ReceiveLog {

    /** A write received from the peer. */
    static final class PeerWrite {
        final WriteRequest.Op op;
        final long sector;
        final long blockId;
        final int sizeBytes;
        final int dpFlags;
        /** The engine's reference to the received data (writes only); handed to the disk write. */
        ByteBuf data;
        final ReceiveEpoch epoch;

        PeerWrite(WriteRequest.Op op, long sector, long blockId, int sizeBytes, int dpFlags, ByteBuf data,
                  ReceiveEpoch epoch) {
            this.op = op;
            this.sector = sector;
            this.blockId = blockId;
            this.sizeBytes = sizeBytes;
            this.dpFlags = dpFlags;
            this.data = data;
            this.epoch = epoch;
        }

        int pages() {
            return op == WriteRequest.Op.WRITE ? Math.max(1, (sizeBytes + 4095) >>> 12) : 1;
        }
    }

    /** One epoch as received: its writes, and the barrier number once P_BARRIER arrived. */
    static final class ReceiveEpoch {
        int barrier;
        boolean closed;
        int writes;
        int completed;
        boolean flushSubmitted;
        final List<PeerWrite> held = new ArrayList<>();
    }

    private final ArrayDeque<ReceiveEpoch> epochs = new ArrayDeque<>();
    /** max-buffers: pages of received writes held back before the engine pauses the data socket. */
    private final int maxBuffersPages;
    private int heldPages;

    ReceiveLog(int maxBuffersPages) {
        this.maxBuffersPages = maxBuffersPages;
    }

    /** Adds a received write; true if it may be submitted now, false if it waits for older epochs. */
    boolean add(PeerWrite write) {
        ReceiveEpoch epoch = write.epoch;
        epoch.writes++;
        if (epoch == epochs.peekFirst()) {
            return true;
        }
        epoch.held.add(write);
        heldPages += write.pages();
        return false;
    }

    /** The open epoch that new writes join (created when none is open). */
    ReceiveEpoch openEpoch() {
        ReceiveEpoch tail = epochs.peekLast();
        if (tail == null || tail.closed) {
            tail = new ReceiveEpoch();
            epochs.addLast(tail);
        }
        return tail;
    }

    /** P_BARRIER: the open epoch is complete and gets its number. */
    void close(int barrier) {
        ReceiveEpoch epoch = openEpoch();
        epoch.barrier = barrier;
        epoch.closed = true;
    }

    ReceiveEpoch head() {
        return epochs.peekFirst();
    }

    /** The head epoch has all its writes on disk and waits for the flush that precedes its barrier ack. */
    boolean headNeedsFlush() {
        ReceiveEpoch head = epochs.peekFirst();
        return head != null && head.closed && head.completed == head.writes && !head.flushSubmitted;
    }

    /** Removes the finished head epoch; returns the writes of the new head that may now go to the disk. */
    List<PeerWrite> popHead() {
        epochs.removeFirst();
        ReceiveEpoch next = epochs.peekFirst();
        if (next == null || next.held.isEmpty()) {
            return List.of();
        }
        List<PeerWrite> released = new ArrayList<>(next.held);
        next.held.clear();
        for (PeerWrite write : released) {
            heldPages -= write.pages();
        }
        return released;
    }

    /** Held pages reached max-buffers: the driver should stop reading the data socket. */
    boolean overLimit() {
        return heldPages >= maxBuffersPages;
    }

    int heldPages() {
        return heldPages;
    }

    int epochCount() {
        return epochs.size();
    }

    /** Connection lost: releases every held (never submitted) write's data and forgets all epochs. */
    void abandon() {
        for (ReceiveEpoch epoch : epochs) {
            for (PeerWrite write : epoch.held) {
                if (write.data != null) {
                    write.data.release();
                    write.data = null;
                }
            }
        }
        epochs.clear();
        heldPages = 0;
    }
}
