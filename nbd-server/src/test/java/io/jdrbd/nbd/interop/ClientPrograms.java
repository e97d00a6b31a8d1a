package io.jdrbd.nbd.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real NBD clients (nbdinfo, nbdcopy, nbdsh) against an in-JVM server: located by
 * {@link ExternalPrograms}, output to files (no pipe can fill up), every wait bounded, killed on timeout.
 */
final class ClientPrograms {

    private static final long TIMEOUT_SECONDS = 60;

    /** What a finished client printed and returned. */
    record Result(String command, int exitCode, String stdout, String stderr) {

        String describe() {
            return command + " exited with " + exitCode + ": " + stderr.strip();
        }
    }

    private ClientPrograms() {
    }

    static Result run(Path workDir, String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ExternalPrograms.require(program).toString());
        command.addAll(Arrays.asList(arguments));
        Path stdout = Files.createTempFile(workDir, program + "-", ".out");
        Path stderr = Files.createTempFile(workDir, program + "-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // python3-libnbd belongs to Debian's /usr/bin/python3, which another python3 on PATH may shadow
        builder.environment().put("PATH", "/usr/bin:" + System.getenv().getOrDefault("PATH", ""));
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(String.join(" ", command), process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static String succeed(Path workDir, String program, String... arguments) throws IOException, InterruptedException {
        Result result = run(workDir, program, arguments);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout();
    }
}
