package io.jdrbd.metadata;

/** Where the meta-data lives, as drbd.conf's {@code meta-disk} and drbdmeta's index argument say. */
public enum MetaDiskMode {
    /** At the end of the data device ({@code internal} and {@code flex-internal} are identical in v09). */
    INTERNAL,
    /** A whole separate device: superblock at 0, activity log, then bitmap. */
    FLEX_EXTERNAL,
    /** Fixed 128 MiB window number N of a separate device (deprecated, same inner layout). */
    INDEXED
}
