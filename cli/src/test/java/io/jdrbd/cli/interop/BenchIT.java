package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdrbd bench} end to end, with the shortest runs: it drives fio against real servers and tabulates. */
class BenchIT {

    private static final Path JAR = Path.of("target", "jdrbd.jar");

    @TempDir
    Path workDir;

    private CommandRunner.Result bench(String... options) {
        ExternalPrograms.require("fio");
        ExternalPrograms.require("nbdkit");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", JAR.toString(), "bench", "--work-dir", workDir.toString(), "--runtime", "1",
                "--repetitions", "1", "--size", "64M"));
        command.addAll(List.of(options));
        return CommandRunner.run(Duration.ofMinutes(3), command);
    }

    @Test
    void shouldCompareJdrbdServeWithNbdkitMemory() {
        CommandRunner.Result result = bench("--profiles", "randread-4k-qd1,randwrite-4k-qd64");

        assertThat(result.exitCode()).as(result.describe() + "\n" + result.stdout()).isZero();
        List<String> table = result.stdout().lines().dropWhile(line -> !line.startsWith("profile")).toList();
        assertThat(table).hasSize(5);
        assertThat(table.get(1)).startsWith("randread-4k-qd1").contains("jdrbd memory");
        assertThat(table.get(2)).contains("nbdkit memory").matches(".*\\d+\\.\\d\\dx\\s+\\d+\\.\\d\\dx\\s+\\d+\\.\\d\\dx$");
        assertThat(table.get(3)).startsWith("randwrite-4k-qd64").contains("jdrbd memory");
    }

    @Test
    void shouldBenchAnyCommandThatPrintsItsUri() {
        CommandRunner.Result result = bench("--profiles", "seqwrite-128k-qd16", "--references", "none",
                "--target-label", "nbdkit-target", "--target-command",
                "echo nbd://127.0.0.1:{port}/; exec nbdkit --exit-with-parent -f -i 127.0.0.1 -p {port} memory {size}");

        assertThat(result.exitCode()).as(result.describe() + "\n" + result.stdout()).isZero();
        assertThat(result.stdout()).containsPattern("seqwrite-128k-qd16\\s+nbdkit-target\\s+\\d+");
    }

    @Test
    void shouldRefuseATargetWhosePortIsHeldByAnotherProcess() throws IOException {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRunner.Result result = bench("--profiles", "seqwrite-128k-qd16", "--references", "none",
                    "--start-timeout", "2", "--target-command",
                    "echo nbd://127.0.0.1:" + impostor.getLocalPort() + "/; exec sleep 30");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("did not listen on port " + impostor.getLocalPort())
                    .contains("another process holds that port");
        }
    }
}
