package io.jdrbd.nbd;

import io.jdrbd.blockdev.AllocationExtent;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The extents of one NBD_REPLY_TYPE_BLOCK_STATUS chunk for {@code base:allocation}: the device's
 * extents from the request offset, consecutive ones with equal status merged, cut at the end of
 * the query, at the first gap, and at {@code maxExtents}. Never empty: a device that reports
 * nothing usable yields one extent of status 0 ("data, contents unknown"), which is always true.
 */
final class ExtentList {
    private final long[] lengths;
    private final int[] states;
    private final int count;

    private ExtentList(long[] lengths, int[] states, int count) {
        this.lengths = lengths;
        this.states = states;
        this.count = count;
    }

    static ExtentList from(List<AllocationExtent> extents, long offset, long queryBytes, int maxExtents) {
        int capacity = Math.max(1, Math.min(maxExtents, extents.size()));
        long[] lengths = new long[capacity];
        int[] states = new int[capacity];
        int count = 0;
        long position = offset;
        long end = offset + queryBytes;
        for (AllocationExtent extent : extents) {
            if (extent.offsetBytes() != position || position >= end) {
                break;
            }
            long length = Math.min(extent.lengthBytes(), end - position);
            int state = (extent.hole() ? NbdProtocol.STATE_HOLE : 0) | (extent.zero() ? NbdProtocol.STATE_ZERO : 0);
            if (count > 0 && states[count - 1] == state) {
                lengths[count - 1] += length;
            } else if (count < capacity) {
                lengths[count] = length;
                states[count] = state;
                count++;
            } else {
                break;
            }
            position += length;
        }
        if (count == 0) {
            lengths[0] = queryBytes;
            states[0] = 0;
            count = 1;
        }
        return new ExtentList(lengths, states, count);
    }

    /** Whether some extent reads as zeroes. */
    boolean anyZero() {
        for (int i = 0; i < count; i++) {
            if ((states[i] & NbdProtocol.STATE_ZERO) != 0) {
                return true;
            }
        }
        return false;
    }

    int count() {
        return count;
    }

    long length(int index) {
        return lengths[index];
    }

    int state(int index) {
        return states[index];
    }

    /** Writes (length, status) pairs; each length fits 32 bits because the query does. */
    void writeTo(ByteBuf out) {
        for (int i = 0; i < count; i++) {
            out.writeInt((int) lengths[i]);
            out.writeInt(states[i]);
        }
    }
}
