package io.jdrbd.nbd.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import io.jdrbd.nbd.NbdExport;
import io.jdrbd.nbd.NbdServer;
import io.jdrbd.nbd.NbdServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An in-JVM NbdServer on loopback port 0 with several named exports, used by libnbd's real clients. */
class MultiExportIT {

    private static final long ALPHA_SIZE = 4L << 20;
    private static final long BETA_SIZE = 8L << 20;

    @TempDir
    static Path workDir;
    private static NbdServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = NbdServer.start(NbdServerConfig.builder().bindAddress("127.0.0.1").port(0).build());
        server.addExport(NbdExport.of("alpha", new MemoryBlockDevice(ALPHA_SIZE)).withDescription("first disk"));
        server.addExport(NbdExport.of("beta", new MemoryBlockDevice(BETA_SIZE)).withDescription("second disk"));
        server.addExport(NbdExport.of("frozen", new MemoryBlockDevice(ALPHA_SIZE)).withReadOnly(true));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldListEveryExportWithItsSizeAndDescription() throws Exception {
        String list = ClientPrograms.succeed(workDir, "nbdinfo", "--list", "--json", server.uri("alpha"));

        assertThat(list).contains("\"export-name\": \"alpha\"", "\"export-name\": \"beta\"",
                "\"export-name\": \"frozen\"", "\"description\": \"first disk\"", "\"description\": \"second disk\"",
                "\"export-size\": " + ALPHA_SIZE, "\"export-size\": " + BETA_SIZE);
    }

    @Test
    void shouldServeEachExportUnderItsOwnName() throws Exception {
        assertThat(ClientPrograms.succeed(workDir, "nbdinfo", "--size", server.uri("beta")).strip())
                .isEqualTo(Long.toString(BETA_SIZE));
        assertThat(ClientPrograms.succeed(workDir, "nbdinfo", "--is", "read-only", server.uri("frozen")))
                .isEmpty();
        ClientPrograms.Result missing = ClientPrograms.run(workDir, "nbdinfo", "--size", server.uri("no-such-export"));
        assertThat(missing.exitCode()).as(missing.describe()).isNotZero();
    }

    @Test
    void shouldKeepExportsApartAndConsistentOverSeveralConnections() throws Exception {
        long seed = new Random().nextLong();
        byte[] data = new byte[(int) BETA_SIZE];
        new Random(seed).nextBytes(data);
        Path source = workDir.resolve("source-" + seed);
        Path copy = workDir.resolve("copy-" + seed);
        Path alpha = workDir.resolve("alpha-" + seed);
        Files.write(source, data);

        // nbdcopy opens several connections when the server advertises multi-conn
        ClientPrograms.succeed(workDir, "nbdcopy", "--connections=4", source.toString(), server.uri("beta"));
        ClientPrograms.succeed(workDir, "nbdcopy", "--connections=4", server.uri("beta"), copy.toString());
        ClientPrograms.succeed(workDir, "nbdcopy", server.uri("alpha"), alpha.toString());

        assertThat(sha256(copy)).as("beta after the round trip (seed %d)", seed).isEqualTo(sha256(source));
        assertThat(Files.readAllBytes(alpha)).as("alpha untouched").containsOnly(0);
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
