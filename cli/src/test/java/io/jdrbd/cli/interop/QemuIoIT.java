package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-io (qemu-utils): pattern writes through qemu's NBD client, then reads that verify the pattern. */
class QemuIoIT {

    @TempDir
    static Path workDir;
    private static InteropServer server;

    @BeforeAll
    static void startServer() {
        server = InteropServer.start(Export.memory(16L << 20), workDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static CommandRunner.Result qemuIo(String... commands) {
        String[] arguments = new String[commands.length * 2 + 3];
        arguments[0] = "-f";
        arguments[1] = "raw";
        for (int i = 0; i < commands.length; i++) {
            arguments[2 + 2 * i] = "-c";
            arguments[3 + 2 * i] = commands[i];
        }
        arguments[arguments.length - 1] = server.uri();
        return Programs.run("qemu-io", arguments);
    }

    @Test
    void shouldReadBackThePatternsWrittenAtEachOffset() {
        CommandRunner.Result write = qemuIo("write -P 0xab 0 1M", "write -P 0xcd 1M 64k", "write -P 0x5a 3M 4k",
                "aio_write -P 0x11 4M 512k", "aio_write -P 0x22 5M 512k", "aio_flush", "flush");
        assertThat(write.exitCode()).as(write.describe()).isZero();
        assertThat(write.stdout()).doesNotContain("error", "failed");

        CommandRunner.Result read = qemuIo("read -P 0xab 0 1M", "read -P 0xcd 1M 64k", "read -P 0x5a 3M 4k",
                "read -P 0x11 4M 512k", "read -P 0x22 5M 512k", "read -P 0x00 6M 1M");
        assertThat(read.exitCode()).as(read.describe()).isZero();
        assertThat(read.stdout()).doesNotContain("Pattern verification failed", "error");
        assertThat(read.stdout()).contains("read 1048576/1048576 bytes at offset 0");
    }

    @Test
    void shouldFailVerificationAgainstTheWrongPattern() {
        assertThat(qemuIo("write -P 0x77 8M 64k").exitCode()).isZero();

        CommandRunner.Result read = qemuIo("read -P 0x78 8M 64k");

        // qemu-io reports the mismatch (and exits 0 or 1 depending on version): the check itself must bite
        assertThat(read.stdout() + read.stderr()).contains("Pattern verification failed");
    }

    @Test
    void shouldReadZeroesWhereWriteZeroesWasSent() {
        assertThat(qemuIo("write -P 0x33 10M 256k", "write -z 10M 128k").exitCode()).isZero();

        CommandRunner.Result read = qemuIo("read -P 0x00 10M 128k", "read -P 0x33 10368k 128k");

        assertThat(read.exitCode()).as(read.describe()).isZero();
        assertThat(read.stdout()).doesNotContain("Pattern verification failed");
    }
}
