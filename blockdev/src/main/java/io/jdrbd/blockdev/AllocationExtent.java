package io.jdrbd.blockdev;

/**
 * A run of bytes with one allocation status, as NBD's {@code base:allocation} context reports it.
 *
 * @param offsetBytes first byte of the run
 * @param lengthBytes length of the run (&gt; 0)
 * @param hole        no storage is allocated (NBD_STATE_HOLE)
 * @param zero        the run reads as zeroes (NBD_STATE_ZERO)
 */
public record AllocationExtent(long offsetBytes, long lengthBytes, boolean hole, boolean zero) {
    public AllocationExtent {
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("offsetBytes < 0: " + offsetBytes);
        }
        if (lengthBytes <= 0) {
            throw new IllegalArgumentException("lengthBytes <= 0: " + lengthBytes);
        }
    }

    public long endBytes() {
        return offsetBytes + lengthBytes;
    }
}
