package io.jdrbd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument checks of {@code jdrbd serve} that fail before anything listens (the served path is an IT). */
class ServeCommandTest {
    @TempDir
    Path dir;

    private static String runExpectingFailure(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isNotZero();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void memoryNeedsASize() {
        assertThat(runExpectingFailure("serve", "--memory", "--port", "0")).contains("--memory needs --size");
    }

    @Test
    void fileAndMemoryExcludeEachOther() {
        assertThat(runExpectingFailure("serve", "--memory", "--file", dir.resolve("x").toString(), "--size", "1M"))
                .contains("mutually exclusive");
    }

    @Test
    void aMissingFileNeedsASize() {
        assertThat(runExpectingFailure("serve", "--file", dir.resolve("missing.img").toString()))
                .contains("does not exist; give --size to create it");
    }

    @Test
    void tlsCertificateAndKeyGoTogether() {
        assertThat(runExpectingFailure("serve", "--memory", "--size", "1M", "--tls-cert", "c.pem"))
                .contains("--tls-cert and --tls-key go together");
        assertThat(runExpectingFailure("serve", "--memory", "--size", "1M", "--tls-required"))
                .contains("--tls-required needs --tls-cert and --tls-key");
    }

    @Test
    void aBadSizeIsNamed() {
        assertThat(runExpectingFailure("serve", "--memory", "--size", "12Q")).contains("--size");
    }
}
