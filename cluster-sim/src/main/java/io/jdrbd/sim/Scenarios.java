package io.jdrbd.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Named scenarios in the scenario vocabulary (start, promote, write, crash, partition, heal, await,
 * verify), shared by the scenario tests and {@code jdrbd sim --scenario NAME}. Each takes a fresh
 * cluster factory and a seed, fails with a {@link SimFailure}, and ends by checking that every buffer
 * was released.
 */
public final class Scenarios {
    private static final long SECOND = 1_000_000_000L;

    private Scenarios() {
    }

    /** Scenario names and bodies, in the order {@code jdrbd sim --list} prints them. */
    public static Map<String, BiConsumer<ReplicaNode.Factory, Long>> all() {
        Map<String, BiConsumer<ReplicaNode.Factory, Long>> scenarios = new LinkedHashMap<>();
        scenarios.put("protocol-c-failover", Scenarios::protocolCFailover);
        scenarios.put("protocol-b-failover", Scenarios::protocolBFailover);
        scenarios.put("protocol-a-prefix", Scenarios::protocolAPrefix);
        scenarios.put("partition-heal", Scenarios::partitionAndHeal);
        scenarios.put("secondary-crash-restart", Scenarios::secondaryCrashAndRestart);
        scenarios.put("overlapping-writes", Scenarios::overlappingWrites);
        return scenarios;
    }

    /**
     * Runs {@code body} on two nodes (connected, UpToDate, node 0 Primary) and ends the run; a failure
     * of the body wins over a follow-on failure of the end-of-run checks, which is kept as suppressed.
     */
    public static void withCluster(ReplicaNode.Factory factory, long seed, char protocol,
                                   java.util.function.Consumer<SimCluster> body) {
        SimCluster cluster = new SimCluster(ClusterOptions.of(seed, 2, protocol), factory);
        try {
            cluster.startNodes();
            cluster.awaitAllConnected(10 * SECOND);
            cluster.promote(0);
            body.accept(cluster);
            cluster.settle(30 * SECOND);
        } catch (RuntimeException | AssertionError failure) {
            try {
                cluster.finish();
            } catch (RuntimeException | AssertionError followOn) {
                failure.addSuppressed(followOn);
            }
            throw failure;
        }
        cluster.finish();
    }

    /** Two nodes up, connected and UpToDate, node 0 Primary. */
    public static SimCluster twoNodes(ReplicaNode.Factory factory, long seed, char protocol) {
        SimCluster cluster = new SimCluster(ClusterOptions.of(seed, 2, protocol), factory);
        cluster.startNodes();
        cluster.awaitAllConnected(10 * SECOND);
        cluster.promote(0);
        return cluster;
    }

    /**
     * Protocol C: the primary crashes after its local writes completed but before the peer's
     * P_WRITE_ACKs arrived (the secondary-to-primary link is clogged); the promoted secondary must
     * hold every acknowledged write.
     */
    public static void protocolCFailover(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'C', cluster -> {
            for (int i = 0; i < 20; i++) {
                cluster.writeAndWait(0, i % 8, 1 + i % 3);
            }
            cluster.network().clog(1, 0, 10 * SECOND);
            for (int i = 0; i < 10; i++) {
                cluster.write(0, i, 2);
            }
            cluster.runFor(50_000_000L);
            cluster.crash(0);
            cluster.verifyNoAcknowledgedWriteLost(1);
            cluster.awaitPeerLoss(1, 0, 30 * SECOND);
            cluster.promote(1);
            cluster.verifyNoAcknowledgedWriteLost(1);
        });
    }

    /**
     * Protocol B: the secondary's disk hangs, so acknowledged writes (P_RECV_ACK) exist only in its
     * memory when the primary crashes; once its disk resumes it must hold all of them.
     */
    public static void protocolBFailover(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'B', cluster -> {
            cluster.dataDisk(1).stall();
            for (int i = 0; i < 10; i++) {
                cluster.writeAndWait(0, i, 1);
            }
            cluster.crash(0);
            cluster.dataDisk(1).resume();
            cluster.runFor(SECOND);
            cluster.verifyNoAcknowledgedWriteLost(1);
            cluster.verifyPrefix(1);
            cluster.awaitPeerLoss(1, 0, 30 * SECOND);
            cluster.promote(1);
        });
    }

    /**
     * Protocol A: the primary keeps acknowledging writes while the link to the secondary is clogged,
     * then crashes; the secondary may miss acknowledged writes but must hold a prefix of them in write
     * order, with nothing invented.
     */
    public static void protocolAPrefix(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'A', cluster -> {
            for (int i = 0; i < 40; i++) {
                cluster.writeAndWait(0, i % 16, 1 + i % 4);
            }
            cluster.network().clog(0, 1, 10 * SECOND);
            for (int i = 0; i < 10; i++) {
                cluster.writeAndWait(0, i, 1);
            }
            cluster.crash(0);
            cluster.runFor(SECOND);
            cluster.verifyPrefix(1);
        });
    }

    /** A partition is noticed by both sides; after heal the nodes reconnect. */
    public static void partitionAndHeal(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'C', cluster -> {
            cluster.partition(0, 1);
            cluster.awaitState("node 0 notices the partition",
                    () -> !"Connected".equals(cluster.view(0).connection(1)), 30 * SECOND);
            cluster.heal();
            cluster.awaitAllConnected(60 * SECOND);
        });
    }

    /**
     * A client issues overlapping writes concurrently (a raw block device allows it); once replication
     * drained, both replicas must hold the same data. DRBD serialises conflicting writes on the
     * Primary for exactly this reason.
     */
    public static void overlappingWrites(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'C', cluster -> {
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < 4; i++) {
                    cluster.write(0, round % 4, 2);
                }
                cluster.awaitQuiet(10 * SECOND);
            }
            cluster.awaitDrained(30 * SECOND);
            cluster.verifyIdenticalData();
        });
    }

    /** The secondary crashes and restarts with no writes meanwhile; it reconnects UpToDate. */
    public static void secondaryCrashAndRestart(ReplicaNode.Factory factory, long seed) {
        withCluster(factory, seed, 'C', cluster -> {
            for (int i = 0; i < 10; i++) {
                cluster.writeAndWait(0, i, 1);
            }
            cluster.runFor(SECOND);
            cluster.crash(1);
            cluster.runFor(SECOND);
            cluster.restart(1);
            cluster.awaitAllConnected(60 * SECOND);
            cluster.verifyIdenticalData();
        });
    }
}
