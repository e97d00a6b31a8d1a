package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import io.jdrbd.testsupport.ExternalPrograms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the real client programs of interop tests: located by {@link ExternalPrograms}, always bounded in time. */
final class Programs {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Programs() {
    }

    /** Runs {@code program} (required: skips locally, fails in CI when absent) with arguments. */
    static CommandRunner.Result run(String program, String... arguments) {
        return runWithEnvironment(Map.of(), program, arguments);
    }

    static CommandRunner.Result runWithEnvironment(Map<String, String> environment, String program,
                                                   String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ExternalPrograms.require(program).toString());
        command.addAll(Arrays.asList(arguments));
        return CommandRunner.run(TIMEOUT, environment, null, command);
    }

    /** Runs and asserts exit status 0, showing the program's stderr otherwise; returns stdout. */
    static String succeed(String program, String... arguments) {
        CommandRunner.Result result = run(program, arguments);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout();
    }

    /**
     * Runs an nbdsh script. Debian's python3-libnbd belongs to /usr/bin/python3, so /usr/bin goes first on
     * PATH (another python3, e.g. from pyenv, may come first otherwise and lack the module).
     */
    static CommandRunner.Result nbdsh(String... arguments) {
        String path = "/usr/bin:" + System.getenv().getOrDefault("PATH", "");
        return runWithEnvironment(Map.of("PATH", path), "nbdsh", arguments);
    }
}
