package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nbdcopy (libnbd-bin): random data copied into the export and back out is the same, by SHA-256. */
class NbdcopyIT {

    private static final int SIZE = 16 << 20;

    @TempDir
    Path workDir;

    @Test
    void shouldRoundTripRandomDataThroughTheExport() throws IOException, NoSuchAlgorithmException {
        long seed = new Random().nextLong();
        byte[] data = new byte[SIZE];
        new Random(seed).nextBytes(data);
        Path source = workDir.resolve("source.img");
        Path target = workDir.resolve("target.img");
        Files.write(source, data);

        try (InteropServer server = InteropServer.start(Export.memory(SIZE), workDir)) {
            Programs.succeed("nbdcopy", source.toString(), server.uri());
            Programs.succeed("nbdcopy", server.uri(), target.toString());
        }

        assertThat(sha256(target)).as("SHA-256 after the round trip (seed %d)", seed).isEqualTo(sha256(source));
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
