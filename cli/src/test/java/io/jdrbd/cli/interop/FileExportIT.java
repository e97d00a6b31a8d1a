package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdrbd serve --file}: what a client wrote is in the file after SIGTERM, and served again on restart. */
class FileExportIT {

    private static final int SIZE = 8 << 20;

    @TempDir
    Path workDir;

    @Test
    void shouldKeepWrittenDataInTheFileAcrossARestart() throws IOException, NoSuchAlgorithmException {
        long seed = new Random().nextLong();
        byte[] data = new byte[SIZE];
        new Random(seed).nextBytes(data);
        Path source = workDir.resolve("source.img");
        Files.write(source, data);
        Path disk = workDir.resolve("disk.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(SIZE);
        }

        try (InteropServer server = InteropServer.start(Export.file(disk, SIZE), workDir)) {
            Programs.succeed("nbdcopy", source.toString(), server.uri());
            assertThat(server.process().terminate(Duration.ofSeconds(20))).as("exits on SIGTERM").isPresent();
        }
        assertThat(NbdcopyIT.sha256(disk)).as("the file itself after the server stopped (seed %d)", seed)
                .isEqualTo(NbdcopyIT.sha256(source));

        Path copy = workDir.resolve("copy.img");
        try (InteropServer restarted = InteropServer.start(Export.file(disk, SIZE), workDir)) {
            Programs.succeed("nbdcopy", restarted.uri(), copy.toString());
        }
        assertThat(NbdcopyIT.sha256(copy)).as("served again after the restart (seed %d)", seed)
                .isEqualTo(NbdcopyIT.sha256(source));
    }
}
