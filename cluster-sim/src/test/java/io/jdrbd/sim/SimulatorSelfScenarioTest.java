package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulator tested on itself, with the minimal {@link FakeReplicaNode}: the scenario API, the
 * checkers (they pass a correct replicator and catch a broken one), determinism of the trace, and the
 * randomized run. The same scenarios against the real engine live in {@code EngineScenarioTest}.
 */
class SimulatorSelfScenarioTest {
    private static final long SECOND = 1_000_000_000L;

    private static SimCluster cluster(long seed, char protocol, ReplicaNode.Factory factory) {
        return Scenarios.twoNodes(factory, seed, protocol);
    }

    @Test
    @DisplayName("protocol C: primary crashes after local write, before P_WRITE_ACK → promoted secondary has"
            + " every acknowledged write")
    void protocolCKeepsAcknowledgedWritesAcrossFailover() {
        Scenarios.protocolCFailover(FakeReplicaNode.correct(), 1);
    }

    @Test
    @DisplayName("canary: a replicator that acks protocol C before the peer's write ack is caught losing writes")
    void brokenProtocolCIsCaught() {
        SimCluster cluster = cluster(1, 'C', FakeReplicaNode.ackingBeforePeer());
        for (int i = 0; i < 5; i++) {
            cluster.writeAndWait(0, i, 1);
        }
        cluster.network().clog(0, 1, 10 * SECOND);
        for (int i = 0; i < 5; i++) {
            cluster.writeAndWait(0, i, 1);
        }
        cluster.crash(0);
        assertThatThrownBy(() -> cluster.verifyNoAcknowledgedWriteLost(1))
                .isInstanceOfSatisfying(SimFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(SimFailure.Kind.CORRECTNESS))
                .hasMessageContaining("lost");
        cluster.finish();
    }

    @Test
    @DisplayName("protocol A: primary crashes with writes in flight → secondary holds a prefix of the primary's"
            + " writes")
    void protocolALeavesAPrefixOnTheSecondary() {
        Scenarios.protocolAPrefix(FakeReplicaNode.correct(), 2);
    }

    @Test
    @DisplayName("protocol B: primary crashes after P_RECV_ACK, before the peer's disk write → survivor still"
            + " writes every acknowledged write")
    void protocolBKeepsWritesTheSecondaryReceived() {
        Scenarios.protocolBFailover(FakeReplicaNode.correct(), 3);
    }

    @Test
    @DisplayName("overlapping concurrent writes: a replicator that serialises them leaves identical replicas")
    void overlappingWritesConvergeWhenSerialised() {
        Scenarios.overlappingWrites(FakeReplicaNode.correct(), 9);
    }

    @Test
    void theSameSeedGivesTheSameTraceHashAndAnotherSeedADifferentOne() {
        assertThat(steadyRunHash(7)).isEqualTo(steadyRunHash(7)).isNotEqualTo(steadyRunHash(8));
    }

    private static long steadyRunHash(long seed) {
        SimCluster cluster = cluster(seed, 'C', FakeReplicaNode.correct());
        Workload.steady().start(cluster, cluster.nowNs() + SECOND);
        cluster.runFor(SECOND);
        cluster.awaitQuiet(SECOND);
        cluster.finish();
        return cluster.trace().hash();
    }

    @Test
    void readsThroughThePrimarySeeTheLatestAcknowledgedWrite() {
        SimCluster cluster = cluster(4, 'C', FakeReplicaNode.correct());
        History.Write write = cluster.writeAndWait(0, 3, 1);
        cluster.read(0, 3);
        cluster.awaitQuiet(SECOND);
        assertThat(cluster.history().reads()).singleElement()
                .satisfies(read -> assertThat(read.seenTag()).isEqualTo(write.tag()));
        cluster.verifyReads();
        cluster.finish();
    }

    @Test
    void aNodeThatIsNeverPromotedRefusesNothingButTwoPrimariesAreACorrectnessFailure() {
        SimCluster cluster = cluster(5, 'C', FakeReplicaNode.correct());
        assertThatThrownBy(() -> cluster.promote(1))
                .isInstanceOfSatisfying(SimFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(SimFailure.Kind.CORRECTNESS))
                .hasMessageContaining("2 nodes are Primary");
        cluster.finish();
    }

    @Test
    void aPartitionedSecondaryIsNoticedAndReconnectsAfterHeal() {
        Scenarios.partitionAndHeal(FakeReplicaNode.correct(), 6);
    }

    @Test
    void randomizedRunsOfACorrectReplicatorPassAndPrintTheirPlan() {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8);
        for (long seed = 1; seed <= 3; seed++) {
            RandomizedRun.Result result = RandomizedRun.runAndReport(seed, FaultProfile.NONE,
                    FakeReplicaNode.correct(), out);
            assertThat(result.passed()).as(text.toString()).isTrue();
        }
        assertThat(text.toString()).contains("seed=1 nodes=2 protocol=").contains("workload: ");
    }

    @Test
    void aFailoverWithoutResyncIsCaughtAsDivergentReplicas() {
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        int caught = 0;
        for (long seed = 1; seed <= 10 && caught == 0; seed++) {
            RandomizedRun.Result result = new RandomizedRun(RandomizedRun.Plan.draw(seed, FaultProfile.FAILOVER),
                    FakeReplicaNode.correct(), quiet).run();
            if (!result.passed() && result.failure().getMessage().contains("differ at block")) {
                caught++;
            }
        }
        assertThat(caught).as("the fake node has no resync, so some failover must leave replicas different")
                .isPositive();
    }

    @Test
    void aRandomizedCampaignCatchesTheBrokenReplicator() {
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        int caught = 0;
        for (long seed = 1; seed <= 20 && caught == 0; seed++) {
            RandomizedRun.Plan plan = RandomizedRun.Plan.draw(seed, FaultProfile.FAILOVER);
            if (plan.cluster().protocol() != 'C') {
                continue;
            }
            RandomizedRun.Result result = new RandomizedRun(plan, FakeReplicaNode.ackingBeforePeer(), quiet).run();
            if (!result.passed() && result.failure().kind() == SimFailure.Kind.CORRECTNESS) {
                caught++;
            }
        }
        assertThat(caught).as("some protocol C seed in 1..20 exposes the early ack").isPositive();
    }
}
