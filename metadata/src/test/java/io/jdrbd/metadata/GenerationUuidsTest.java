package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenerationUuidsTest {
    private static final long U1 = 0x1111_0000_0000_1110L;
    private static final long U2 = 0x2222_0000_0000_2220L;
    private static final long U3 = 0x3333_0000_0000_3330L;

    @Test
    void newCurrentRotatesTheOldGenerationIntoTrackingPeersOnly() {
        GenerationUuids uuids = GenerationUuids.justCreated().withCurrent(U1 | GenerationUuids.UUID_PRIMARY)
                .withBitmapUuid(3, U3, 77);
        GenerationUuids next = uuids.newCurrent(U2, (1L << 1) | (1L << 3), 500);
        assertThat(next.current()).isEqualTo(U2);
        assertThat(next.bitmapUuid(1)).as("primary bit dropped").isEqualTo(U1);
        assertThat(next.bitmapDagtag(1)).isEqualTo(500);
        assertThat(next.bitmapUuid(3)).as("already tracking an older generation").isEqualTo(U3);
        assertThat(next.bitmapDagtag(3)).isEqualTo(77);
        assertThat(next.bitmapUuid(2)).as("not tracking").isZero();
        assertThat(uuids.current()).as("values are immutable").isEqualTo(U1 | 1);
    }

    @Test
    void clearingABitmapUuidPushesItIntoTheHistoryYoungestFirst() {
        GenerationUuids uuids = GenerationUuids.justCreated().withCurrent(U3).pushHistory(U1)
                .withBitmapUuid(0, U2, 9);
        GenerationUuids cleared = uuids.clearBitmapUuid(0);
        assertThat(cleared.bitmapUuid(0)).isZero();
        assertThat(cleared.bitmapDagtag(0)).isZero();
        assertThat(cleared.history(0)).isEqualTo(U2);
        assertThat(cleared.history(1)).isEqualTo(U1);
        assertThat(cleared.clearBitmapUuid(0)).isSameAs(cleared);
    }

    @Test
    void historyIgnoresZeroJustCreatedCurrentDuplicatesAndHeldBitmapUuids() {
        GenerationUuids uuids = GenerationUuids.justCreated().withCurrent(U1).pushHistory(U2);
        assertThat(uuids.pushHistory(0)).isSameAs(uuids);
        assertThat(uuids.pushHistory(GenerationUuids.UUID_JUST_CREATED)).isSameAs(uuids);
        assertThat(uuids.pushHistory(U1 | 1)).isSameAs(uuids);
        assertThat(uuids.pushHistory(U2)).isSameAs(uuids);
        assertThat(uuids.withBitmapUuid(4, U3, 0).pushHistory(U3).historyContains(U3)).isFalse();
        assertThat(GenerationUuids.justCreated().withBitmapUuid(4, U3, 0).pushHistory(U3).history(0))
                .as("the first history slot is filled even with a held bitmap UUID").isEqualTo(U3);
    }

    @Test
    void resyncAsTargetAdoptsTheSourceGeneration() {
        GenerationUuids target = GenerationUuids.justCreated().withCurrent(U1).rotateCurrentIntoBitmaps(1L << 2, 5);
        assertThat(target.bitmapUuid(2)).isEqualTo(U1);
        GenerationUuids done = target.adoptCurrent(U2);
        assertThat(done.current()).isEqualTo(U2);
        assertThat(done.history(0)).as("still held as bitmap UUID, but history was empty").isEqualTo(U1);
        assertThat(done.retireAllBitmapUuids().bitmapUuid(2)).isZero();
        assertThat(GenerationUuids.sameGeneration(U2, U2 | 1)).isTrue();
        assertThat(GenerationUuids.justCreated().isJustCreated()).isTrue();
    }
}
