package io.jdrbd.blockdev;

import java.util.Objects;

/**
 * The outcome of one block-device operation: success, or an error on a byte range with a reason.
 * Errors are values; a device never throws at its caller for an I/O failure.
 */
public final class IoResult {
    /** The shared success value, so the success path allocates nothing. */
    public static final IoResult OK = new IoResult(null, 0, 0, "");

    private final IoError error;
    private final long offsetBytes;
    private final long lengthBytes;
    private final String detail;

    private IoResult(IoError error, long offsetBytes, long lengthBytes, String detail) {
        this.error = error;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
        this.detail = detail;
    }

    public static IoResult failed(IoError error, long offsetBytes, long lengthBytes, String detail) {
        return new IoResult(Objects.requireNonNull(error, "error"), offsetBytes, lengthBytes,
                Objects.requireNonNull(detail, "detail"));
    }

    public boolean ok() {
        return error == null;
    }

    /** The error, or {@code null} on success. */
    public IoError error() {
        return error;
    }

    /** First byte of the range the error concerns (0 on success). */
    public long offsetBytes() {
        return offsetBytes;
    }

    /** Length of the range the error concerns (0 on success). */
    public long lengthBytes() {
        return lengthBytes;
    }

    /** A human-readable reason ("injected error", "pwrite: No space left on device", ...). */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return ok() ? "OK" : error + " at " + offsetBytes + "+" + lengthBytes + ": " + detail;
    }
}
