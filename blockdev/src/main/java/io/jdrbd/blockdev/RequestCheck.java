package io.jdrbd.blockdev;

/**
 * Validation of a request's range against a device, shared by every backend so they answer bad
 * requests alike: negative, overflowing, out-of-range or misaligned requests get
 * {@link IoError#EINVAL}. Returns {@code null} when the request is acceptable, so the accepting
 * path allocates nothing.
 */
public final class RequestCheck {

    private RequestCheck() {
    }

    /**
     * @param alignment a power of two; offset and length must be multiples of it
     * @return {@code null} if {@code [offsetBytes, offsetBytes + lengthBytes)} lies inside a device of
     *         {@code sizeBytes} and is aligned, otherwise the EINVAL result naming the problem
     */
    public static IoResult range(long offsetBytes, long lengthBytes, long sizeBytes, int alignment) {
        if (offsetBytes < 0 || lengthBytes < 0) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes, "negative offset or length");
        }
        if (offsetBytes > sizeBytes || lengthBytes > sizeBytes - offsetBytes) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes,
                    "range beyond the end of the device (size " + sizeBytes + ")");
        }
        long mask = alignment - 1L;
        if ((offsetBytes & mask) != 0 || (lengthBytes & mask) != 0) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes,
                    "offset or length not a multiple of the required alignment " + alignment);
        }
        return null;
    }

    /** The check of {@link #range} against {@code device}'s size and alignment. */
    public static IoResult range(BlockDevice device, long offsetBytes, long lengthBytes) {
        return range(offsetBytes, lengthBytes, device.sizeBytes(), device.requiredAlignment());
    }

    /** {@code null} if {@code flags} holds only known write flags, else the EINVAL result. */
    public static IoResult writeFlags(int flags, long offsetBytes, long lengthBytes) {
        if ((flags & ~BlockDevice.FUA) != 0) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes, "unknown flags 0x"
                    + Integer.toHexString(flags));
        }
        return null;
    }
}
