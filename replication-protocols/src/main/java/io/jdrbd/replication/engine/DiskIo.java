package io.jdrbd.replication.engine;

/** What an outstanding local disk I/O (by io id) was submitted for. */
sealed interface DiskIo {

    /** The local part of an upper-layer write, trim or write-zeroes. */
    record LocalWrite(WriteRequest request) implements DiskIo {
    }

    /** An upper-layer read. */
    record LocalRead(long requestId) implements DiskIo {
    }

    /** The local flush of an upper-layer flush. */
    record LocalFlush(FlushWaiter waiter) implements DiskIo {
    }

    /** A write received from a peer. */
    record PeerWriteIo(int peerIndex, int session, ReceiveLog.PeerWrite write) implements DiskIo {
    }

    /** The flush that ends a received epoch before its barrier ack. */
    record EpochFlush(int peerIndex, int session, ReceiveLog.ReceiveEpoch epoch) implements DiskIo {
    }
}
