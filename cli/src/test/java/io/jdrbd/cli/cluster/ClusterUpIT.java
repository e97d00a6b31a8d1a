package io.jdrbd.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdrbd cluster up} as a user runs it: a background cluster process, a real NBD client writing
 * to node0's export, and the data on both nodes' backing files; then {@code cluster down}.
 */
class ClusterUpIT {

    private static final Path JAR = Path.of("target", "jdrbd.jar");
    private static final Pattern NODE_LINE = Pattern.compile("^(node\\d+) (nbd://127\\.0\\.0\\.1:\\d+/r0) control .*");

    @TempDir
    Path work;

    private Path clusterDir;

    private record Result(int status, String output) {
    }

    private Result jdrbd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("jdrbd " + String.join(" ", args) + " finished").isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterEach
    void down() throws Exception {
        if (clusterDir != null && Files.exists(clusterDir.resolve("cluster.pid"))) {
            jdrbd("cluster", "down", "--dir", clusterDir.toString());
        }
    }

    @Test
    void writesThroughNode0sExportAppearOnBothBackingFiles() throws Exception {
        Path nbdcopy = ExternalPrograms.require("nbdcopy");
        clusterDir = work.resolve("cluster");
        Result up = jdrbd("cluster", "up", "--nodes", "2", "--protocol", "C", "--dir", clusterDir.toString(),
                "--size", "32M", "--base-port", Integer.toString(freePort()),
                "--nbd-base-port", Integer.toString(freePort()));
        assertThat(up.status()).as(up.output()).isZero();
        List<String> uris = new ArrayList<>();
        for (String line : up.output().split("\n")) {
            Matcher matcher = NODE_LINE.matcher(line);
            if (matcher.matches()) {
                uris.add(matcher.group(2));
            }
        }
        assertThat(uris).as(up.output()).hasSize(2);
        assertThat(Files.readString(clusterDir.resolve("r0.res"))).contains("on node0", "on node1", "protocol C");

        byte[] data = new byte[4 << 20];
        new Random(42).nextBytes(data);
        Path source = work.resolve("data.bin");
        Files.write(source, data);
        Process copy = new ProcessBuilder(nbdcopy.toString(), source.toString(), uris.get(0))
                .redirectErrorStream(true).start();
        String copyOutput = new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(copy.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(copy.exitValue()).as(copyOutput).isZero();

        String expected = sha256(data);
        assertThat(sha256(prefix(clusterDir.resolve("node0.img"), data.length))).isEqualTo(expected);
        // protocol C: acknowledged writes are on the peer's disk already; allow for the page cache only
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(sha256(prefix(clusterDir.resolve("node1.img"), data.length))).isEqualTo(expected));

        Result status = jdrbd("cluster", "status", "--dir", clusterDir.toString());
        assertThat(status.status()).as(status.output()).isZero();
        assertThat(status.output()).contains("--- node0 ---", "r0 role:Primary", "--- node1 ---",
                "r0 role:Secondary", "peer-disk:UpToDate");

        Result down = jdrbd("cluster", "down", "--dir", clusterDir.toString());
        assertThat(down.status()).as(down.output()).isZero();
        assertThat(clusterDir.resolve("cluster.pid")).doesNotExist();
    }

    private static byte[] prefix(Path file, int length) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(length);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
