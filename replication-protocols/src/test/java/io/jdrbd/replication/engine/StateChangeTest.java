package io.jdrbd.replication.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.engine.EngineInput.AdminCommand;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.Role;
import org.junit.jupiter.api.Test;

class StateChangeTest {

    @Test
    void anInconsistentNodeRefusesPromotionWithDrbdsReason() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        long reply = h.alice.admin(AdminVerb.PRIMARY, 0);

        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.NO_UP_TO_DATE_DISK);
        assertThat(StateChangeResult.NO_UP_TO_DATE_DISK.text()).isEqualTo("Need access to UpToDate data");
        assertThat(h.alice.logs).contains("r0 State change failed: (-2) Need access to UpToDate data");
        assertThat(h.alice.engine.role()).isEqualTo(Role.SECONDARY);
    }

    @Test
    void forcedPromotionMakesInconsistentDataUpToDate() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        long reply = h.alice.admin(AdminVerb.PRIMARY, AdminCommand.FORCE);

        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        assertThat(h.alice.engine.role()).isEqualTo(Role.PRIMARY);
        assertThat(h.alice.engine.diskState()).isEqualTo(DiskState.UP_TO_DATE);
        assertThat(h.alice.logs).contains("r0 Forced to consider local data as UpToDate!");
        assertThat(h.alice.events)
                .contains("change resource name:r0 role:Primary may_promote:no promotion_score:10101");
    }

    @Test
    void aSecondPrimaryIsRefusedUnlessAllowed() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        long reply = h.bob.admin(AdminVerb.PRIMARY, 0);
        h.pump();

        assertThat(h.bob.replies.get(reply)).isEqualTo(StateChangeResult.TWO_PRIMARIES);
        assertThat(h.bob.logs).contains("r0 State change failed: (-1) Multiple primaries not allowed by config");
        assertThat(h.bob.engine.role()).isEqualTo(Role.SECONDARY);
        assertThat(h.bob.engine.peerRole(0)).isEqualTo(Role.PRIMARY);
    }

    @Test
    void concurrentPromotionsCannotBothWin() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        long aliceReply = h.alice.admin(AdminVerb.PRIMARY, 0);
        long bobReply = h.bob.admin(AdminVerb.PRIMARY, 0);
        h.pump();

        boolean aliceWon = h.alice.replies.get(aliceReply).ok();
        boolean bobWon = h.bob.replies.get(bobReply).ok();
        assertThat(aliceWon && bobWon).isFalse();
        assertThat(h.alice.engine.role() == Role.PRIMARY && h.bob.engine.role() == Role.PRIMARY).isFalse();
    }

    @Test
    void twoPrimariesAreAllowedWithAllowTwoPrimaries() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b.allowTwoPrimaries(true));
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        long reply = h.bob.admin(AdminVerb.PRIMARY, 0);
        h.pump();

        assertThat(h.bob.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        assertThat(h.alice.engine.peerRole(1)).isEqualTo(Role.PRIMARY);
    }

    @Test
    void demotionIsSeenByThePeer() {
        TwoNodeHarness h = TwoNodeHarness.connectedUpToDate(b -> b);
        h.alice.admin(AdminVerb.PRIMARY, 0);
        h.pump();
        assertThat(h.bob.events).contains(
                "change connection name:r0 peer-node-id:0 conn-name:alice role:Primary");
        long reply = h.alice.admin(AdminVerb.SECONDARY, 0);
        h.pump();

        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.SUCCESS);
        assertThat(h.bob.engine.peerRole(0)).isEqualTo(Role.SECONDARY);
        assertThat(h.alice.events)
                .contains("change resource name:r0 role:Secondary may_promote:yes promotion_score:10102");
    }

    @Test
    void disconnectOfAStandAloneConnectionIsRefused() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.fresh(), MetadataRecord.fresh());
        long reply = h.alice.admin(AdminVerb.DISCONNECT, 0);
        assertThat(h.alice.replies.get(reply)).isEqualTo(StateChangeResult.ALREADY_STANDALONE);
        assertThat(h.alice.replies.get(reply).text()).isEqualTo("Can not disconnect a StandAlone device");
    }

    @Test
    void theInitialEvents2DumpListsEveryObject() {
        TwoNodeHarness h = new TwoNodeHarness(TwoNodeHarness.config("alice", 0), TwoNodeHarness.config("bob", 1),
                MetadataRecord.upToDate(0x42L << 8), MetadataRecord.fresh());
        assertThat(h.alice.engine.existsLines()).containsExactly(
                "exists resource name:r0 role:Secondary suspended:no force-io-failures:no may_promote:yes"
                        + " promotion_score:10101",
                "exists connection name:r0 peer-node-id:1 conn-name:bob connection:StandAlone role:Unknown",
                "exists device name:r0 volume:0 minor:0 backing_dev:/dev/alice disk:UpToDate client:no quorum:yes",
                "exists peer-device name:r0 peer-node-id:1 conn-name:bob volume:0 replication:Off peer-disk:DUnknown"
                        + " peer-client:no resync-suspended:no",
                "exists -");
    }
}
