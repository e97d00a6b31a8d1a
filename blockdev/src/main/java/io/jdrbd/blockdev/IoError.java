package io.jdrbd.blockdev;

/**
 * The errors a block device reports, named after the errno values the NBD protocol carries so
 * the NBD edge can map them one to one.
 */
public enum IoError {
    /** The medium failed (a real or injected I/O error). */
    EIO,
    /** The request lies outside the device, or is misaligned where alignment is required. */
    EINVAL,
    /** The device is read-only, or the caller may not write it in its current role. */
    EPERM,
    /** No space left to allocate (e.g. re-filling a punched hole on a full file system). */
    ENOSPC,
    /** The operation is not supported (e.g. a fast zero that cannot be fast). */
    ENOTSUP,
    /** A length larger than the device or the protocol allows. */
    EOVERFLOW,
    /** The device is closed or shutting down. */
    ESHUTDOWN
}
