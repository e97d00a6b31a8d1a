package io.jdrbd.metadata;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * DRBD's checksum of a 4 KiB activity-log block: CRC-32C with seed 0 and no final inversion (the
 * Linux kernel's {@code crc32c(0, buf, len)}). Java's {@link CRC32C} is the standard variant (seed
 * and final xor 0xFFFFFFFF); for a fixed length the two differ by a constant, the standard CRC of
 * that many zero bytes (drbd-metadata.md §3.3).
 */
public final class DrbdCrc32c {
    /** Standard CRC-32C of 4096 zero bytes. */
    private static final int ZERO_BLOCK_4K = 0x98F94189;

    private DrbdCrc32c() {
    }

    /** DRBD's crc of the 4096 bytes from {@code block}'s position (position and limit unchanged). */
    public static int ofBlock(ByteBuffer block) {
        CRC32C crc = new CRC32C();
        crc.update(block.duplicate().limit(block.position() + MetadataLayout.BLOCK_BYTES));
        return (int) crc.getValue() ^ ZERO_BLOCK_4K;
    }

    /** Standard CRC-32C of an arbitrary range (our torn-write guard uses the standard variant). */
    public static int standard(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
