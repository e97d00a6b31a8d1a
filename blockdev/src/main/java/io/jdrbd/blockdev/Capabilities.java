package io.jdrbd.blockdev;

/**
 * What a device can do, with NBD's meanings (see nbdkit's {@code can_*} callbacks).
 *
 * @param readOnly     writes, trims and zeroes fail with {@link IoError#EPERM}
 * @param canFlush     flush makes all completed writes durable
 * @param canFua       a write with {@link BlockDevice#FUA} is durable when it completes
 * @param canTrim      trim may discard data (reads of a trimmed range return unspecified data)
 * @param canZero      write-zeroes is cheaper than writing a buffer of zeroes
 * @param canFastZero  write-zeroes with {@code fastZero} succeeds only when it is fast, else ENOTSUP
 * @param canMultiConn the device gives the same view and flush semantics to every connection
 * @param canCache     cache (prefetch) has an effect
 */
public record Capabilities(boolean readOnly, boolean canFlush, boolean canFua, boolean canTrim,
                           boolean canZero, boolean canFastZero, boolean canMultiConn, boolean canCache) {

    public Capabilities withReadOnly(boolean value) {
        return new Capabilities(value, canFlush, canFua, canTrim, canZero, canFastZero, canMultiConn, canCache);
    }

    public Capabilities withMultiConn(boolean value) {
        return new Capabilities(readOnly, canFlush, canFua, canTrim, canZero, canFastZero, value, canCache);
    }
}
