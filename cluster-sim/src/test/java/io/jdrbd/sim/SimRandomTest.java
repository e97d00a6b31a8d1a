package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimRandomTest {

    @Test
    void sameSeedGivesTheSameStream() {
        SimRandom first = new SimRandom(42);
        SimRandom second = new SimRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertThat(first.nextLong()).isEqualTo(second.nextLong());
        }
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        assertThat(new SimRandom(1).nextLong()).isNotEqualTo(new SimRandom(2).nextLong());
    }

    @Test
    void forkedStreamsDoNotDependOnHowMuchTheOtherComponentDraws() {
        SimRandom master = new SimRandom(7);
        SimRandom network = master.fork();
        SimRandom disk = master.fork();
        long diskFirst = disk.nextLong();

        SimRandom master2 = new SimRandom(7);
        SimRandom network2 = master2.fork();
        for (int i = 0; i < 100; i++) {
            network2.nextLong(); // the network draws much more in this run
        }
        SimRandom disk2 = master2.fork();
        assertThat(disk2.nextLong()).isEqualTo(diskFirst);
        assertThat(network.nextLong()).isNotEqualTo(diskFirst);
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        SimRandom random = new SimRandom(3);
        boolean[] seen = new boolean[7];
        for (int i = 0; i < 10_000; i++) {
            int value = random.nextInt(7);
            assertThat(value).isBetween(0, 6);
            seen[value] = true;
            assertThat(random.between(-5, 5)).isBetween(-5L, 5L);
        }
        for (boolean value : seen) {
            assertThat(value).isTrue();
        }
    }

    @Test
    void chanceHonoursItsExtremes() {
        SimRandom random = new SimRandom(9);
        int hits = 0;
        for (int i = 0; i < 10_000; i++) {
            assertThat(random.chance(0)).isFalse();
            assertThat(random.chance(1_000_000)).isTrue();
            hits += random.chance(500_000) ? 1 : 0;
        }
        assertThat(hits).isBetween(4_500, 5_500);
    }
}
