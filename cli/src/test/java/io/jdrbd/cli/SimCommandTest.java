package io.jdrbd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimCommandTest {

    private static String run(int expectedStatus, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(expectedStatus);
        return text;
    }

    @Test
    void listsTheNamedScenarios() {
        assertThat(run(0, "sim", "--list")).contains("protocol-c-failover").contains("protocol-a-prefix");
    }

    @Test
    void runsANamedScenarioWithTheRealEngine() {
        assertThat(run(0, "sim", "--scenario", "protocol-c-failover", "--seed", "3"))
                .contains("scenario protocol-c-failover: ok");
    }

    @Test
    void aSeedRunPrintsItsPlanAndVerdictWithTheTraceHash() {
        String text = run(0, "sim", "--seeds", "1", "--start-seed", "4", "--faults", "none");
        assertThat(text).contains("seed=4 nodes=2").contains("workload: ").contains("seed 4: ok trace=")
                .contains("campaign: 1/1 passed");
    }

    @Test
    void anUnknownScenarioIsAnErrorNamingTheKnownOnes() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run(1, "sim", "--scenario", "nope");
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no scenario 'nope'").contains("protocol-c-failover");
    }
}
