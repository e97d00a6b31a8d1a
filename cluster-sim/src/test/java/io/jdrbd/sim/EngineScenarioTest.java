package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real replication engine in the simulator: DRBD's protocol guarantees, checked block by block. */
class EngineScenarioTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ReplicaNode.Factory ENGINE = EngineNode.factory();

    @Test
    @DisplayName("two fresh nodes connect and report Connected, Established and UpToDate on both sides")
    void twoNodesComeUp() {
        Scenarios.withCluster(ENGINE, 1, 'C', cluster -> {
            assertThat(cluster.view(0).role()).isEqualTo("Primary");
            assertThat(cluster.view(1).role()).isEqualTo("Secondary");
            assertThat(cluster.stateLog()).anySatisfy(line -> assertThat(line).contains("role:Primary"));
        });
    }

    @Test
    @DisplayName("protocol C: writes on the primary reach the secondary's disk identically")
    void protocolCReplicates() {
        Scenarios.withCluster(ENGINE, 2, 'C', cluster -> {
            for (int i = 0; i < 50; i++) {
                assertThat(cluster.writeAndWait(0, i % 20, 1 + i % 3).acknowledged()).isTrue();
            }
            cluster.runFor(SECOND);
            cluster.verifyIdenticalData();
            cluster.verifyNoAcknowledgedWriteLost(1);
        });
    }

    @Test
    @DisplayName("protocol C: primary crashes after local write, before P_WRITE_ACK → promoted secondary has"
            + " every acknowledged write")
    void protocolCFailover() {
        Scenarios.protocolCFailover(ENGINE, 3);
    }

    @Test
    @DisplayName("protocol B: primary crashes while the secondary's disk hangs → every P_RECV_ACKed write"
            + " reaches the survivor's disk")
    void protocolBFailover() {
        Scenarios.protocolBFailover(ENGINE, 4);
    }

    @Test
    @DisplayName("protocol A: primary crashes with writes in flight → secondary holds a prefix of the primary's"
            + " writes, nothing invented")
    void protocolAPrefix() {
        Scenarios.protocolAPrefix(ENGINE, 5);
    }

    @Test
    @DisplayName("partition: both sides notice, and reconnect after heal")
    void partitionAndHeal() {
        Scenarios.partitionAndHeal(ENGINE, 6);
    }

    @Test
    @DisplayName("reads on the primary see the latest acknowledged write")
    void readsSeeTheLatestWrite() {
        Scenarios.withCluster(ENGINE, 7, 'C', cluster -> {
            History.Write write = cluster.writeAndWait(0, 9, 1);
            cluster.read(0, 9);
            cluster.awaitQuiet(SECOND);
            assertThat(cluster.history().reads()).singleElement()
                    .satisfies(read -> assertThat(read.seenTag()).isEqualTo(write.tag()));
            cluster.verifyReads();
        });
    }

    @Test
    @DisplayName("the same seed gives the same trace hash; another seed a different one")
    void determinism() {
        assertThat(steadyRunHash(11)).isEqualTo(steadyRunHash(11)).isNotEqualTo(steadyRunHash(12));
    }

    @Test
    @DisplayName("a replay that keeps a text tail of the trace has the same trace hash as the original run")
    void keepingATraceTailDoesNotChangeTheHash() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        RandomizedRun.Plan plan = RandomizedRun.Plan.draw(4, FaultProfile.NONE);
        RandomizedRun.Result plain = new RandomizedRun(plan, ENGINE, quiet).run();
        RandomizedRun.Result traced = new RandomizedRun(plan, ENGINE, quiet).keepTraceTail(50).run();
        assertThat(plain.passed()).as(String.valueOf(plain.failure())).isTrue();
        assertThat(traced.traceHash()).isEqualTo(plain.traceHash());
        assertThat(traced.events()).isEqualTo(plain.events());
    }

    private static long steadyRunHash(long seed) {
        long[] hash = new long[1];
        SimCluster[] holder = new SimCluster[1];
        Scenarios.withCluster(ENGINE, seed, 'C', cluster -> {
            holder[0] = cluster;
            Workload.steady().start(cluster, cluster.nowNs() + SECOND);
            cluster.runFor(SECOND);
            cluster.awaitQuiet(10 * SECOND);
        });
        hash[0] = holder[0].trace().hash();
        return hash[0];
    }

    @Test
    @DisplayName("canary: a driver that completes protocol C writes before P_WRITE_ACK is caught losing"
            + " acknowledged writes at failover")
    void canaryEarlyAckIsCaught() {
        assertThatThrownBy(() -> Scenarios.withCluster(EngineNode.brokenAckOnLocalWrite(), 8, 'C', cluster -> {
            for (int i = 0; i < 5; i++) {
                cluster.writeAndWait(0, i, 1);
            }
            cluster.network().clog(0, 1, 10 * SECOND);
            for (int i = 0; i < 5; i++) {
                cluster.writeAndWait(0, i, 1);
            }
            cluster.crash(0);
            cluster.verifyNoAcknowledgedWriteLost(1);
        })).isInstanceOfSatisfying(SimFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SimFailure.Kind.CORRECTNESS))
                .hasMessageContaining("lost");
    }

    @Test
    @DisplayName("canary: the randomized failover campaign catches the early-acking driver")
    void canaryCaughtByTheCampaign() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int caught = 0;
        for (long seed = 1; seed <= 30 && caught == 0; seed++) {
            RandomizedRun.Plan plan = RandomizedRun.Plan.draw(seed, FaultProfile.FAILOVER);
            if (plan.cluster().protocol() != 'C') {
                continue;
            }
            RandomizedRun.Result result = new RandomizedRun(plan, EngineNode.brokenAckOnLocalWrite(), quiet).run();
            if (!result.passed() && result.failure().kind() == SimFailure.Kind.CORRECTNESS
                    && result.failure().getMessage().contains("lost")) {
                caught++;
            }
        }
        assertThat(caught).as("some protocol C seed exposes the early ack").isPositive();
    }
}
