package io.jdrbd.sim;

import io.jdrbd.replication.engine.MetadataRecord;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How a simulated node keeps the engine's {@link MetadataRecord} on its meta disk: one 512-byte
 * sector (the unit a disk writes atomically, so a power cut leaves the old or the new record, never a
 * mix), with a magic number and a crc32c. This is the simulator's own compact layout, not DRBD's v09
 * superblock (that codec belongs to the {@code metadata} module and {@code node}).
 */
final class MetadataStore {
    static final int RECORD_BYTES = 512;
    private static final int MAGIC = 0x4A44_4D44; // "JDMD"
    private static final int HISTORY_MAX = 24;

    private MetadataStore() {
    }

    static byte[] encode(MetadataRecord record) {
        long[] history = record.historyUuids();
        if (history.length > HISTORY_MAX) {
            throw new IllegalArgumentException("more history UUIDs than the simulated record holds: "
                    + history.length);
        }
        ByteBuffer out = ByteBuffer.allocate(RECORD_BYTES);
        out.putInt(MAGIC);
        out.putInt(record.flags());
        out.putLong(record.currentUuid());
        for (long uuid : record.bitmapUuids()) {
            out.putLong(uuid);
        }
        out.putInt(history.length);
        for (long uuid : history) {
            out.putLong(uuid);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, RECORD_BYTES - 4);
        out.putInt(RECORD_BYTES - 4, (int) crc.getValue());
        return out.array();
    }

    /** The record in {@code sector}, or null when the sector holds none (never written, or damaged). */
    static MetadataRecord decode(byte[] sector) {
        ByteBuffer in = ByteBuffer.wrap(sector);
        if (in.getInt() != MAGIC) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(sector, 0, RECORD_BYTES - 4);
        if (in.getInt(RECORD_BYTES - 4) != (int) crc.getValue()) {
            return null;
        }
        int flags = in.getInt();
        long current = in.getLong();
        long[] bitmap = new long[MetadataRecord.MAX_NODES];
        for (int i = 0; i < bitmap.length; i++) {
            bitmap[i] = in.getLong();
        }
        int historyCount = in.getInt();
        if (historyCount < 0 || historyCount > HISTORY_MAX) {
            return null;
        }
        long[] history = new long[historyCount];
        for (int i = 0; i < historyCount; i++) {
            history[i] = in.getLong();
        }
        return new MetadataRecord(current, bitmap, history, flags);
    }
}
