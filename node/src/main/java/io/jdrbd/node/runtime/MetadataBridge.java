package io.jdrbd.node.runtime;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.metadata.GenerationUuids;
import io.jdrbd.metadata.MetaDiskMode;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.SuperblockCodec;
import io.jdrbd.metadata.disk.MetadataStore;
import io.jdrbd.replication.engine.MetadataRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletionException;

/**
 * Maps between the on-disk v09 superblock ({@code metadata} module) and the part of it the engine
 * changes ({@link MetadataRecord}: UUIDs and the engine's flags), and opens or creates internal
 * meta-data on a backing device.
 */
public final class MetadataBridge {

    /** The superblock flags the engine owns; every other bit (AL clean, ...) is kept as on disk. */
    static final int ENGINE_FLAGS = MetadataRecord.MDF_CONSISTENT | MetadataRecord.MDF_PRIMARY_IND
            | MetadataRecord.MDF_WAS_UP_TO_DATE | MetadataRecord.MDF_CRASHED_PRIMARY;

    private MetadataBridge() {
    }

    public static MetadataRecord toRecord(Superblock superblock) {
        GenerationUuids uuids = superblock.uuids();
        return new MetadataRecord(uuids.current(), uuids.bitmapUuidArray(), trimmedHistory(uuids.historyArray()),
                superblock.flags() & ENGINE_FLAGS);
    }

    public static Superblock apply(Superblock superblock, MetadataRecord record) {
        GenerationUuids old = superblock.uuids();
        long[] history = Arrays.copyOf(record.historyUuids(), GenerationUuids.HISTORY);
        GenerationUuids uuids = GenerationUuids.of(record.currentUuid(), record.bitmapUuids(),
                old.bitmapDagtagArray(), history);
        int flags = (superblock.flags() & ~ENGINE_FLAGS) | (record.flags() & ENGINE_FLAGS);
        return superblock.withUuids(uuids).withFlags(flags);
    }

    private static long[] trimmedHistory(long[] history) {
        int used = history.length;
        while (used > 0 && history[used - 1] == 0) {
            used--;
        }
        return Arrays.copyOf(history, used);
    }

    /** Internal meta-data of a backing device: where it lies and what it holds. */
    public record Opened(MetadataStore store, Superblock superblock, long usableBytes) {
    }

    /**
     * Reads the internal meta-data at the end of {@code device}; fails with a message that names the
     * device and says how to create meta-data when there is none.
     */
    public static Opened openInternal(BlockDevice device, String deviceName) throws IOException {
        long sbOffset = MetadataStore.superblockOffset(MetaDiskMode.INTERNAL, 0, device.sizeBytes());
        Superblock superblock;
        try {
            superblock = SuperblockCodec.decode(MetadataStore.readBlock(device, sbOffset).join());
        } catch (MetadataFormatException e) {
            throw new IOException(deviceName + ": no valid v09 meta-data (" + e.getMessage()
                    + "); create it with 'jdrbd meta ... create-md'", e);
        } catch (CompletionException e) {
            throw new IOException(deviceName + ": cannot read meta-data: " + e.getCause().getMessage(), e);
        }
        MetadataLayout layout = MetadataLayout.internal(device.sizeBytes(), superblock.maxPeers(),
                superblock.effectiveAlStripes(), superblock.effectiveAlStripeSize4k());
        MetadataStore store = new MetadataStore(device, layout);
        store.readSuperblock().join();
        long usableBytes = layout.maxUsableSectors(device.sizeBytes()) * 512L;
        usableBytes -= usableBytes % 4096;
        return new Opened(store, superblock, usableBytes);
    }

    /** What {@code create-md} writes for internal meta-data with {@code maxPeers} bitmap slots. */
    public static void createInternal(BlockDevice device, int maxPeers) {
        MetadataLayout layout = MetadataLayout.internal(device.sizeBytes(), maxPeers,
                MetadataLayout.DEFAULT_AL_STRIPES, MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K);
        MetadataStore store = new MetadataStore(device, layout);
        store.initializeAl().join();
        MetadataStore.zero(device, layout.bmStartBytes(), layout.bitmapAreaBytes()).join();
        store.writeSuperblock(Superblock.fresh(layout, 0), false).join();
        store.flush().join();
    }

    /** Bytes a backing file needs so that {@code dataBytes} stay usable next to internal meta-data. */
    public static long backingBytesFor(long dataBytes, int maxPeers) {
        long guess = dataBytes + MetadataLayout.bitmapBytes(dataBytes / 512, maxPeers) + (1L << 20);
        guess = (guess + (1L << 20) - 1) & ~((1L << 20) - 1);
        while (MetadataLayout.internal(guess, maxPeers, MetadataLayout.DEFAULT_AL_STRIPES,
                MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K).maxUsableSectors(guess) * 512L < dataBytes) {
            guess += 1L << 20;
        }
        return guess;
    }
}
