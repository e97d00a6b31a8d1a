package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;

/**
 * A packet holding a reference-counted payload. A decoded packet owns one reference to a retained
 * slice of the received bytes (no copy): its consumer must call {@link #release()} exactly once, when
 * it is done with the data (e.g. after the disk write completed).
 */
public interface PayloadHolder {

    /** The payload; reading it does not change the packet (use {@code duplicate()} to consume). */
    ByteBuf data();

    /** Releases the packet's reference to its payload. */
    default boolean release() {
        return data().release();
    }

    /** Adds a reference for an extra owner (e.g. one per peer the data is forwarded to). */
    default void retain() {
        data().retain();
    }
}
