package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.jdrbd.metadata.disk.MetadataStore;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Meta-data updates interrupted at every sector boundary read back as the old or the new state:
 * the guarded superblock, including the first guarded write over drbdmeta's plain block.
 */
class TornMetadataWriteTest {
    private static final long DEVICE_BYTES = 64L << 20;
    private static final MetadataLayout LAYOUT = MetadataLayout.internal(DEVICE_BYTES, 3, 1, 8);

    private static Superblock randomSuperblock(Random random) {
        long[] bitmaps = new long[32];
        long[] dagtags = new long[32];
        long[] history = new long[32];
        for (int i = 0; i < 32; i++) {
            bitmaps[i] = random.nextLong();
            dagtags[i] = random.nextLong();
            history[i] = random.nextLong();
        }
        Superblock sb = Superblock.fresh(LAYOUT, 0)
                .withUuids(GenerationUuids.of(random.nextLong(), bitmaps, dagtags, history))
                .withFlags(random.nextInt(0x800)).withEffectiveSizeSect(random.nextInt(100_000));
        for (int node = 0; node < 32; node++) {
            int flags = random.nextInt() & ~MetadataFlags.MDF_HAVE_BITMAP;
            sb = sb.withPeer(node, new PeerSlot(flags, random.nextInt(4) - 1));
        }
        return sb;
    }

    @ParameterizedTest
    @EnumSource(TornWriteDevice.Tear.class)
    void guardedSuperblockTornAtEverySectorIsOldOrNew(TornWriteDevice.Tear tear) {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            Superblock old = randomSuperblock(random);
            Superblock fresh = randomSuperblock(random);
            for (int sectors = 0; sectors <= 8; sectors++) {
                MemoryBlockDevice disk = new MemoryBlockDevice(DEVICE_BYTES);
                MetadataStore setup = new MetadataStore(disk, LAYOUT);
                setup.writeSuperblock(old, true).join();
                MetadataStore store = new MetadataStore(new TornWriteDevice(disk, 0, sectors, tear), LAYOUT);
                store.readSuperblock().join();
                writeIgnoringFailure(store, fresh);
                Superblock read = new MetadataStore(disk, LAYOUT).readSuperblock().join();
                assertThat(read).as("round %d, %d sectors through (%s)", round, sectors, tear).isIn(old, fresh);
                if (sectors == 8) {
                    assertThat(read).isEqualTo(fresh);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TornWriteDevice.Tear.class)
    void firstGuardedWriteOverDrbdmetasPlainBlockIsOldOrNew(TornWriteDevice.Tear tear) {
        Random random = new Random(11);
        for (int round = 0; round < 10; round++) {
            Superblock old = randomSuperblock(random);
            Superblock fresh = randomSuperblock(random);
            for (int cutAtWrite = 0; cutAtWrite <= 1; cutAtWrite++) {
                for (int sectors = 0; sectors <= 8; sectors++) {
                    MemoryBlockDevice disk = new MemoryBlockDevice(DEVICE_BYTES);
                    new MetadataStore(disk, LAYOUT).writeSuperblock(old, false).join();
                    MetadataStore store = new MetadataStore(new TornWriteDevice(disk, cutAtWrite, sectors, tear),
                            LAYOUT);
                    store.readSuperblock().join();
                    writeIgnoringFailure(store, fresh);
                    Superblock read = new MetadataStore(disk, LAYOUT).readSuperblock().join();
                    assertThat(read).as("round %d, write %d torn after %d sectors (%s)", round, cutAtWrite, sectors,
                            tear).isIn(old, fresh);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TornWriteDevice.Tear.class)
    void tornAlTransactionIsSkippedAndReplayStillCoversCommittedExtents(TornWriteDevice.Tear tear) {
        for (int sectors = 0; sectors < 8; sectors++) {
            MemoryBlockDevice disk = new MemoryBlockDevice(DEVICE_BYTES);
            MetadataStore store = new MetadataStore(disk, LAYOUT);
            store.initializeAl().join();
            ActivityLog log = new ActivityLog(67);
            for (long extent = 0; extent < 5; extent++) {
                log.activate(extent, extent);
                ActivityLog.Transaction transaction = log.prepareTransaction();
                store.writeAlTransaction(transaction).join();
                log.onTransactionWritten(transaction);
            }
            long[] committed = log.activeExtents();
            log.activate(40, 40);
            ActivityLog.Transaction torn = log.prepareTransaction();
            MetadataStore cut = new MetadataStore(new TornWriteDevice(disk, 0, sectors, tear), LAYOUT);
            assertThat(cut.writeAlTransaction(torn)).isCompletedExceptionally();
            AlReplay.Result replay = AlReplay.replay(store.readAlRing().join());
            assertThat(replay.activeExtents()).as("%d sectors through", sectors).containsExactly(committed);
            assertThat(replay.corruptBlocks()).as("a partly written block fails its crc").hasSize(sectors > 0 ? 1 : 0);
        }
    }

    private static void writeIgnoringFailure(MetadataStore store, Superblock superblock) {
        try {
            store.writeSuperblock(superblock, true).join();
        } catch (CompletionException expected) {
            assertThat(expected).hasMessageContaining("power cut");
        }
    }
}
