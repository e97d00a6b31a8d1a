package io.jdrbd.node.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The statistics {@code drbdsetup status --statistics} and the Prometheus endpoint report for one
 * resource, counted where the I/O really happens: bytes read from and written to the local backing
 * device (DRBD's {@code read}/{@code written}, which include replicated writes a Secondary receives),
 * local I/Os in flight ({@code lower-pending}), and per peer the payload bytes of data packets sent
 * and received ({@code sent}/{@code received}). Updated from disk-completion threads and the event
 * loop, hence atomics; readers take a consistent-enough snapshot at any time.
 */
public final class ResourceCounters {

    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writtenBytes = new LongAdder();
    private final LongAdder metadataWrites = new LongAdder();
    private final LongAdder activityLogWrites = new LongAdder();
    private final LongAdder bitmapWrites = new LongAdder();
    private final AtomicInteger lowerPending = new AtomicInteger();
    private final AtomicLongArray sentBytes;
    private final AtomicLongArray receivedBytes;

    ResourceCounters(int maxNodeId) {
        sentBytes = new AtomicLongArray(maxNodeId + 1);
        receivedBytes = new AtomicLongArray(maxNodeId + 1);
    }

    void lowerSubmitted() {
        lowerPending.incrementAndGet();
    }

    void lowerCompleted() {
        lowerPending.decrementAndGet();
    }

    void diskRead(long bytes) {
        readBytes.add(bytes);
    }

    void diskWritten(long bytes) {
        writtenBytes.add(bytes);
    }

    void metadataWritten() {
        metadataWrites.increment();
    }

    void activityLogWritten() {
        activityLogWrites.increment();
    }

    void bitmapPageWritten() {
        bitmapWrites.increment();
    }

    /** Activity-log transactions written (DRBD's {@code al-writes}). */
    public long activityLogWrites() {
        return activityLogWrites.sum();
    }

    /** Bitmap pages written (DRBD's {@code bm-writes}). */
    public long bitmapWrites() {
        return bitmapWrites.sum();
    }

    void sent(int peerNodeId, long bytes) {
        if (peerNodeId >= 0 && peerNodeId < sentBytes.length()) {
            sentBytes.addAndGet(peerNodeId, bytes);
        }
    }

    void received(int peerNodeId, long bytes) {
        if (peerNodeId >= 0 && peerNodeId < receivedBytes.length()) {
            receivedBytes.addAndGet(peerNodeId, bytes);
        }
    }

    /** Bytes read from the local backing device (data area), since the node started. */
    public long readBytes() {
        return readBytes.sum();
    }

    /** Bytes written to the local backing device (data area), since the node started. */
    public long writtenBytes() {
        return writtenBytes.sum();
    }

    /** Superblock (meta-data) writes completed since the node started. */
    public long metadataWrites() {
        return metadataWrites.sum();
    }

    /** Local backing-device I/Os submitted and not yet completed. */
    public int lowerPending() {
        return lowerPending.get();
    }

    /** Payload bytes of data packets (P_DATA and resync data) sent to {@code peerNodeId}. */
    public long sentBytes(int peerNodeId) {
        return peerNodeId >= 0 && peerNodeId < sentBytes.length() ? sentBytes.get(peerNodeId) : 0;
    }

    /** Payload bytes of data packets received from {@code peerNodeId}. */
    public long receivedBytes(int peerNodeId) {
        return peerNodeId >= 0 && peerNodeId < receivedBytes.length() ? receivedBytes.get(peerNodeId) : 0;
    }
}
