package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random write workloads through the activity log, with the on-disk ring simulated as a list of
 * blocks: replaying the ring at any moment yields every extent a write may be in flight in.
 */
class ActivityLogProperties {

    @Provide
    Arbitrary<List<Integer>> extents() {
        return Arbitraries.integers().between(0, 200).list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 150)
    void replayCoversEveryExtentWithAWriteInFlight(@ForAll @IntRange(min = 2, max = 1300) int alExtents,
                                                   @ForAll @IntRange(min = 1, max = 4) int stripes,
                                                   @ForAll("extents") List<Integer> writes,
                                                   @ForAll @IntRange(min = 1, max = 20) int inFlightMax,
                                                   @ForAll int firstTrNumber) {
        int ringSize = Math.max(8, stripes * 3);
        ActivityLog log = new ActivityLog(alExtents, firstTrNumber);
        List<byte[]> ring = new ArrayList<>();
        for (int i = 0; i < ringSize; i++) {
            ring.add(AlTransactionCodec.initializedBlock());
        }
        List<long[]> inFlight = new ArrayList<>();
        for (int extentSeed : writes) {
            long first = extentSeed;
            long last = first + (extentSeed % 7 == 0 ? 1 : 0);
            ActivityLog.Activation activation = log.activate(first, last);
            while (activation == ActivityLog.Activation.BLOCKED) {
                long[] done = inFlight.remove(0);
                log.release(done[0], done[1]);
                activation = log.activate(first, last);
            }
            if (activation == ActivityLog.Activation.PENDING) {
                ActivityLog.Transaction transaction = log.prepareTransaction();
                int position = (int) (Integer.toUnsignedLong(transaction.trNumber()) % ringSize);
                ring.set(position, transaction.block());
                log.onTransactionWritten(transaction);
            }
            assertThat(log.isActive(first)).isTrue();
            assertThat(log.isActive(last)).isTrue();
            inFlight.add(new long[] {first, last});
            if (inFlight.size() > inFlightMax) {
                long[] done = inFlight.remove(0);
                log.release(done[0], done[1]);
            }
            log.checkInvariants();
            long[] replayed = AlReplay.replay(ring).activeExtents();
            for (long[] write : inFlight) {
                assertThat(Arrays.binarySearch(replayed, write[0])).as("extent %d replayed", write[0]).isNotNegative();
                assertThat(Arrays.binarySearch(replayed, write[1])).as("extent %d replayed", write[1]).isNotNegative();
            }
            assertThat(replayed).as("replay equals the committed set").containsExactly(log.activeExtents());
        }
    }

    @Property(tries = 50)
    void writesToHotExtentsNeedNoTransaction(@ForAll @IntRange(min = 64, max = 500) int alExtents) {
        ActivityLog log = new ActivityLog(alExtents);
        for (long extent = 0; extent < 40; extent++) {
            assertThat(log.activate(extent, extent)).isEqualTo(ActivityLog.Activation.PENDING);
        }
        log.onTransactionWritten(log.prepareTransaction());
        for (int round = 0; round < 10; round++) {
            for (long extent = 0; extent < 40; extent++) {
                assertThat(log.activate(extent, extent)).isEqualTo(ActivityLog.Activation.ACTIVE);
                log.release(extent, extent);
            }
        }
        assertThat(log.hasQueuedChanges()).isFalse();
        assertThat(log.nextTrNumber()).isEqualTo(1);
    }
}
