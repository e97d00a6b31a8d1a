package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.FioResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fio's nbd engine writes with crc32c checksums in every block, then reads everything back and verifies. */
class FioVerifyIT {

    @TempDir
    Path workDir;

    private FioResult fio(InteropServer server, String... jobOptions) throws IOException {
        Path report = workDir.resolve("fio-" + System.nanoTime() + ".json");
        String[] arguments = new String[jobOptions.length + 8];
        arguments[0] = "--name=verify";
        arguments[1] = "--ioengine=nbd";
        arguments[2] = "--uri=" + server.uri();
        arguments[3] = "--verify=crc32c";
        arguments[4] = "--verify_fatal=1";
        arguments[5] = "--output-format=json";
        arguments[6] = "--output=" + report;
        // no verify state file in the current directory (fio writes one when a verify job ends)
        arguments[7] = "--verify_state_save=0";
        System.arraycopy(jobOptions, 0, arguments, 8, jobOptions.length);
        Programs.succeed("fio", arguments);
        return FioResult.parse(Files.readString(report));
    }

    @Test
    void shouldPassCrc32cVerificationOfPipelinedRandomWrites() throws IOException {
        try (InteropServer server = InteropServer.start(Export.memory(32L << 20), workDir)) {
            FioResult result = fio(server, "--rw=randwrite", "--bs=4k", "--iodepth=32", "--size=32M");

            // every block written was read back and its checksum matched (a mismatch fails fio's exit status)
            assertThat(result.write().totalIos()).isEqualTo(8192);
            assertThat(result.read().totalIos()).isEqualTo(8192);
        }
    }

    @Test
    void shouldPassCrc32cVerificationOfMixedBlockSizes() throws IOException {
        try (InteropServer server = InteropServer.start(Export.memory(32L << 20), workDir)) {
            FioResult result = fio(server, "--rw=write", "--bsrange=512-256k", "--iodepth=8", "--size=32M");

            assertThat(result.write().totalIos()).isPositive();
            assertThat(result.read().totalIos()).isEqualTo(result.write().totalIos());
        }
    }
}
