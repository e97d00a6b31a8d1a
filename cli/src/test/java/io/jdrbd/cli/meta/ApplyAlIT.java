package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.file.FileBlockDevice;
import io.jdrbd.metadata.ActivityLog;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.disk.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Activity-log transactions written by jdrbd are replayed by the real {@code drbdmeta apply-al}. */
class ApplyAlIT {
    private static final long SIZE = 512L << 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}: al-extents {1}, {2} stripes of {3} kB, first tr {4}, {5} writes")
    @CsvSource({
        "11, 67, 1, 32, 0, 40",
        "12, 1237, 1, 32, 0, 300",
        "13, 100, 2, 16, -3, 200",
        "14, 67, 4, 32, 2147483640, 500",
        "15, 2000, 1, 64, -1, 120",
    })
    void drbdmetaReplaysOurTransactionsLikeWeDo(long seed, int alExtents, int stripes, int stripeKb, int firstTr,
                                               int writes) throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Path theirs = Drbdmeta.sparseImage(dir, "theirs.img", SIZE);
        String[] create = {"create-md", "--al-stripes", String.valueOf(stripes), "--al-stripe-size-kB",
            String.valueOf(stripeKb), "2"};
        Path ours = Drbdmeta.sparseImage(dir, "ours.img", SIZE);
        MetadataLayout layout = MetadataLayout.internal(SIZE, 2, stripes, stripeKb / 4);
        long[] expected = null;
        for (Path image : new Path[] {theirs, ours}) {
            assertThat(tools.ours(image, "internal", create).exitCode()).isZero();
            expected = writeCrashedPrimaryLog(image, layout, new Random(seed), alExtents, firstTr, writes);
        }

        Drbdmeta.Run real = tools.real(theirs, "internal", "apply-al");
        assertThat(real.exitCode()).as("drbdmeta apply-al: %s", real.err()).isZero();
        assertThat(real.err()).doesNotContain("ASSERT").doesNotContain("corrupt").doesNotContain("inconsistent");
        Drbdmeta.Run mine = tools.ours(ours, "internal", "apply-al");
        assertThat(mine.exitCode()).as(mine.err()).isZero();
        assertThat(Files.mismatch(theirs, ours)).as("seed %d: first differing byte", seed).isEqualTo(-1L);
        assertOutOfSyncExactly(theirs, layout, expected);
    }

    /** Writes transactions of a random workload, as a Primary would, and leaves the meta-data unclean. */
    private static long[] writeCrashedPrimaryLog(Path image, MetadataLayout layout, Random random, int alExtents,
                                                 int firstTr, int writes) throws Exception {
        try (FileBlockDevice device = FileBlockDevice.open(image)) {
            MetadataStore store = new MetadataStore(device, layout);
            Superblock sb = store.readSuperblock().join();
            long usable = layout.maxUsableSectors(SIZE);
            store.writeSuperblock(sb.withEffectiveSizeSect(usable).withFlags(MetadataFlags.MDF_CONSISTENT
                    | MetadataFlags.MDF_PRIMARY_IND).withNodeId(0), false).join();
            long extents = usable / 8192;
            ActivityLog log = new ActivityLog(alExtents, firstTr);
            Deque<Long> inFlight = new ArrayDeque<>();
            for (int i = 0; i < writes; i++) {
                long extent = random.nextInt(4) == 0 ? random.nextInt(8) : (long) random.nextInt((int) extents);
                ActivityLog.Activation activation = log.activate(extent, extent);
                while (activation == ActivityLog.Activation.BLOCKED) {
                    long done = inFlight.removeFirst();
                    log.release(done, done);
                    activation = log.activate(extent, extent);
                }
                if (activation == ActivityLog.Activation.PENDING) {
                    ActivityLog.Transaction transaction = log.prepareTransaction();
                    store.writeAlTransaction(transaction).join();
                    log.onTransactionWritten(transaction);
                }
                inFlight.addLast(extent);
                if (inFlight.size() > 30) {
                    long done = inFlight.removeFirst();
                    log.release(done, done);
                }
            }
            store.flush().join();
            return log.activeExtents();
        }
    }

    private static void assertOutOfSyncExactly(Path image, MetadataLayout layout, long[] extents) throws Exception {
        try (FileBlockDevice device = FileBlockDevice.open(image)) {
            MetadataStore store = new MetadataStore(device, layout);
            Superblock sb = store.readSuperblock().join();
            assertThat(sb.hasFlag(MetadataFlags.MDF_AL_CLEAN)).isTrue();
            Bitmap bitmap = Bitmap.forCapacity(sb.effectiveSizeSect(), 2);
            store.readBitmap(bitmap).join();
            for (int slot = 0; slot < 2; slot++) {
                long expectedBits = 0;
                for (long extent : extents) {
                    long from = extent * Bitmap.BITS_PER_EXTENT;
                    long to = Math.min(bitmap.bitCount(), from + Bitmap.BITS_PER_EXTENT);
                    assertThat(bitmap.countRange(slot, from, to)).as("extent %d, slot %d", extent, slot)
                            .isEqualTo(to - from);
                    expectedBits += to - from;
                }
                assertThat(bitmap.count(slot)).isEqualTo(expectedBits);
            }
        }
    }
}
