package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.engine.EngineInput.AdminCommand;
import io.jdrbd.replication.wire.AfterSbPolicy;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.Role;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void twoFreshNodesConnectWithoutSyncAndClearBitmapMakesBothUpToDate() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.CONNECTED);
        assertThat(h.alice.engine.replicationState(1)).isEqualTo(ReplicationState.ESTABLISHED);
        assertThat(h.alice.engine.peerDiskState(1)).isEqualTo(DiskState.INCONSISTENT);
        assertThat(h.alice.events).contains(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Unconnected",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Connecting",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Connected role:Secondary",
                "change peer-device name:r0 peer-node-id:1 conn-name:bob volume:0 replication:Established"
                        + " peer-disk:Inconsistent peer-client:no");
        // The lower node id starts the connect transaction; the higher one answers on the meta socket.
        assertThat(h.alice.sentCount(PacketType.P_TWOPC_PREPARE)).isEqualTo(1);
        assertThat(h.bob.sentCount(PacketType.P_TWOPC_YES)).isEqualTo(1);
        assertThat(h.alice.sentCount(PacketType.P_TWOPC_COMMIT)).isEqualTo(1);

        h.alice.admin(AdminVerb.NEW_CURRENT_UUID, AdminCommand.CLEAR_BITMAP);
        h.pump();

        assertThat(h.alice.engine.diskState()).isEqualTo(DiskState.UP_TO_DATE);
        assertThat(h.bob.engine.diskState()).isEqualTo(DiskState.UP_TO_DATE);
        assertThat(h.alice.engine.peerDiskState(1)).isEqualTo(DiskState.UP_TO_DATE);
        assertThat(h.bob.engine.peerDiskState(0)).isEqualTo(DiskState.UP_TO_DATE);
        assertThat(h.bob.engine.metadata().currentUuid()).isEqualTo(h.alice.engine.metadata().currentUuid());
        assertThat(h.bob.events).contains("change device name:r0 volume:0 minor:0 backing_dev:/dev/bob"
                + " disk:UpToDate client:no quorum:yes");
    }

    @Test
    void matchingSharedSecretAuthenticatesBothWays() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.cramHmac("sha256", "s3cret"));
        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.CONNECTED);
        assertThat(h.alice.sentCount(PacketType.P_AUTH_CHALLENGE)).isEqualTo(1);
        assertThat(h.alice.sentCount(PacketType.P_AUTH_RESPONSE)).isEqualTo(1);
        assertThat(h.alice.logs).anyMatch(line -> line.contains("Peer authenticated using 32 bytes HMAC"));
    }

    @Test
    void wrongSharedSecretIsRefusedAndBothEndStandAlone() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0).cramHmac("sha256", "right"),
                TwoNodeHarness.config("bob", 1).cramHmac("sha256", "wrong"), MetadataRecord.fresh(),
                MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.alice.logs).anyMatch(line -> line.endsWith("bob: Authentication of peer failed"));
        assertThat(h.alice.events).endsWith(
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:Disconnecting",
                "change connection name:r0 peer-node-id:1 conn-name:bob connection:StandAlone");
    }

    @Test
    void missingSharedSecretOnOneSideIsRefused() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0).cramHmac("sha1", "secret"),
                TwoNodeHarness.config("bob", 1), MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.alice.logs).anyMatch(line -> line.contains("expected AuthChallenge packet, received: P_PROTOCOL"));
        assertThat(h.bob.engine.connectionState(0)).isNotEqualTo(ConnState.CONNECTED);
    }

    @Test
    void mismatchedProtocolRefusesTheConnectionWithAReason() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0).protocol(Protocol.C),
                TwoNodeHarness.config("bob", 1).protocol(Protocol.A), MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.alice.logs)
                .anyMatch(line -> line.contains("incompatible communication protocols: mine C, peer's A"));
    }

    @Test
    void mismatchedAfterSplitBrainPolicyRefusesTheConnection() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0)
                .afterSb(AfterSbPolicy.DISCARD_ZERO_CHANGES, AfterSbPolicy.DISCONNECT, AfterSbPolicy.DISCONNECT),
                TwoNodeHarness.config("bob", 1), MetadataRecord.fresh(), MetadataRecord.fresh());
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.bob.logs).anyMatch(line -> line.contains("incompatible after-sb-0pri settings"));
    }

    @Test
    void unrelatedDataIsRefused() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.upToDate(0x1111_2222_3333_4444L), MetadataRecord.upToDate(0x5555_6666_7777_8888L));
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.engine.connectionState(1)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.STANDALONE);
        assertThat(h.alice.logs).anyMatch(line -> line.contains("Unrelated data, aborting!"));
        assertThat(h.alice.sentCount(PacketType.P_DISCONNECT)).isEqualTo(1);
    }

    @Test
    void sameGenerationReconnectsWithoutSyncAndLearnsThePeerRole() {
        long uuid = 0x1234_5678_9ABC_DEF0L;
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.upToDate(uuid), MetadataRecord.upToDate(uuid));
        long reply = h.alice.admin(AdminVerb.PRIMARY, 0);
        h.alice.admin(AdminVerb.CONNECT, 0);
        h.bob.admin(AdminVerb.CONNECT, 0);
        h.pump();

        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        assertThat(h.bob.engine.connectionState(0)).isEqualTo(ConnState.CONNECTED);
        assertThat(h.bob.engine.peerRole(0)).isEqualTo(Role.PRIMARY);
        assertThat(h.bob.events).contains(
                "change connection name:r0 peer-node-id:0 conn-name:alice connection:Connected role:Primary");
    }
}
