package io.jdrbd.replication.engine;

/**
 * An upper-layer flush: it completes when the local disk cache was flushed and every connected peer has
 * barrier-acked every epoch up to {@link #epoch} (a barrier ack on the secondary follows its own flush).
 */
final class FlushWaiter {
    final long requestId;
    final int epoch;
    boolean localDone;
    boolean localOk;

    FlushWaiter(long requestId, int epoch) {
        this.requestId = requestId;
        this.epoch = epoch;
    }
}
