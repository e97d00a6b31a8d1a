package io.jdrbd.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one proxied connection, summed over its sockets. "Inside" is the node side,
 * "outside" the link to the peer proxy; payload bytes only (frame headers are not counted).
 */
public final class ConnectionStats {

    /** Bytes read from the local node (to be sent to the peer proxy). */
    final LongAdder insideReadBytes = new LongAdder();
    /** Bytes written to the peer proxy, after compression. */
    final LongAdder outsideWrittenBytes = new LongAdder();
    /** The uncompressed size of what was written to the peer proxy (numerator of the ratio). */
    final LongAdder outsideWrittenRawBytes = new LongAdder();
    /** Bytes received from the peer proxy, compressed. */
    final LongAdder outsideReadBytes = new LongAdder();
    /** Bytes written to the local node, decompressed. */
    final LongAdder insideWrittenBytes = new LongAdder();
    final LongAdder blocksCompressed = new LongAdder();
    final LongAdder blocksRaw = new LongAdder();
    /** Time the node could not send because the buffer was full. */
    final LongAdder blockedNanos = new LongAdder();
    final LongAdder blockedEpisodes = new LongAdder();
    final LongAdder tunnelsOpened = new LongAdder();
    final LongAdder peerLosses = new LongAdder();
    /** Bytes read from the node and not yet written to the peer proxy (the memlimit buffer). */
    final AtomicLong heldBytes = new AtomicLong();
    final AtomicLong heldPeakBytes = new AtomicLong();

    /** A consistent-enough copy for reports. */
    public Snapshot snapshot() {
        return new Snapshot(insideReadBytes.sum(), outsideWrittenBytes.sum(), outsideWrittenRawBytes.sum(),
                outsideReadBytes.sum(), insideWrittenBytes.sum(), blocksCompressed.sum(), blocksRaw.sum(),
                blockedNanos.sum(), blockedEpisodes.sum(), tunnelsOpened.sum(), peerLosses.sum(), heldBytes.get(),
                heldPeakBytes.get());
    }

    void hold(long bytes) {
        long now = heldBytes.addAndGet(bytes);
        heldPeakBytes.accumulateAndGet(now, Math::max);
    }

    /** Counters at one moment. */
    public record Snapshot(long insideReadBytes, long outsideWrittenBytes, long outsideWrittenRawBytes,
                           long outsideReadBytes, long insideWrittenBytes, long blocksCompressed, long blocksRaw,
                           long blockedNanos, long blockedEpisodes, long tunnelsOpened, long peerLosses,
                           long heldBytes, long heldPeakBytes) {

        /** Uncompressed / compressed of what was sent to the peer proxy; 1 before anything was sent. */
        public double compressionRatio() {
            return outsideWrittenBytes == 0 ? 1.0 : (double) outsideWrittenRawBytes / outsideWrittenBytes;
        }
    }
}
