package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random interleavings of writes, disk completions and packet deliveries between a Primary and its
 * Secondary (jqwik prints the failing seed): every request completes, the transfer log drains, no buffer
 * leaks, and both disks end identical.
 */
class ReplicationProperties {

    @Property(tries = 8)
    void connectedReplicasConvergeUnderAnyInterleaving(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 3) int protocolIndex,
                                                       @ForAll @IntRange(min = 1, max = 8) int maxEpochSize) {
        TwoNodeHarness h = runWorkload(seed, Protocol.values()[protocolIndex - 1], maxEpochSize, -1);
        assertThat(h.alice.engine.outOfSyncBlocks(1)).isZero();
        assertThat(Arrays.equals(h.alice.disk, h.bob.disk)).as("disks identical, seed %d", seed).isTrue();
    }

    @Property(tries = 6)
    void everyBlockThatDiffersAfterAPartitionIsMarkedOutOfSync(@ForAll long seed,
                                                              @ForAll @IntRange(min = 1, max = 3) int protocolIndex,
                                                              @ForAll @IntRange(min = 0, max = 59) int partitionAt) {
        TwoNodeHarness h = runWorkload(seed, Protocol.values()[protocolIndex - 1], 4, partitionAt);
        for (long block = 0; block < 256; block++) {
            int from = (int) block * 4096;
            boolean differs = !Arrays.equals(h.alice.disk, from, from + 4096, h.bob.disk, from, from + 4096);
            if (differs) {
                assertThat(h.alice.engine.isOutOfSync(1, block)).as("block %d differs, seed %d", block, seed).isTrue();
            }
        }
    }

    /** Runs 60 writes with random progress; partitions the network before write {@code partitionAt} (-1: never). */
    private static TwoNodeHarness runWorkload(long seed, Protocol protocol, int maxEpochSize, int partitionAt) {
        Random random = new Random(seed);
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.protocol(protocol).maxEpochSize(maxEpochSize)
                .maxBuffers(32));
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        h.alice.autoDisk = false;
        h.bob.autoDisk = false;
        List<ByteBuf> buffers = new ArrayList<>();
        // Like any application on DRBD, never overlap a write that has not completed yet (concurrent
        // overlapping writes have no defined order); overlapping completed writes is the interesting case.
        TreeMap<Long, Long> lastWriter = new TreeMap<>();
        int requests = 100;
        for (int i = 0; i < requests; i++) {
            long block = random.nextInt(64);
            int blocks = 1 + random.nextInt(2);
            for (long b = block; b < block + blocks; b++) {
                Long writer = lastWriter.get(b);
                if (writer != null && !h.alice.completions.containsKey(writer)) {
                    block = 100 + 2L * i;
                    break;
                }
            }
            ByteBuf data = Unpooled.buffer(4096 * blocks);
            for (int b = 0; b < 4096 * blocks; b++) {
                data.writeByte(i);
            }
            buffers.add(data);
            if (i == partitionAt) {
                h.partition();
                h.advance(11_000_000_000L);
            }
            for (long b = block; b < block + blocks; b++) {
                lastWriter.put(b, (long) i);
            }
            if (random.nextInt(8) == 0) {
                h.alice.handle(new EngineInput.FlushRequested(10_000 + i));
            }
            h.alice.handle(new EngineInput.WriteRequested(i, block * 4096, data, random.nextInt(4) == 0
                    ? EngineInput.FLAG_FUA : 0));
            h.runDeferred();
            for (int step = random.nextInt(6); step > 0; step--) {
                randomProgress(h, random);
            }
        }
        h.alice.autoDisk = true;
        h.bob.autoDisk = true;
        h.pump();

        assertThat(h.alice.completions.values()).allMatch(IoResult::ok);
        assertThat(h.alice.completions.keySet()).filteredOn(id -> id < requests).hasSize(requests);
        assertThat(h.alice.engine.transferLogSize()).isZero();
        assertThat(buffers).allMatch(buffer -> buffer.refCnt() == 0);
        return h;
    }

    private static void randomProgress(TwoNodeHarness h, Random random) {
        switch (random.nextInt(3)) {
            case 0:
                h.deliverSome(1 + random.nextInt(4));
                return;
            case 1:
                completeRandomIo(h.alice, random);
                return;
            default:
                completeRandomIo(h.bob, random);
        }
    }

    private static void completeRandomIo(TwoNodeHarness.Node node, Random random) {
        if (node.pendingIo.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(node.pendingIo.keySet());
        long pick = ids.get(random.nextInt(ids.size()));
        node.completeIo(io -> TwoNodeHarness.ioIdOf(io) == pick, IoResult.OK);
    }
}
