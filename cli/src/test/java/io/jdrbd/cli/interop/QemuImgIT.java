package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jdrbd.cli.bench.CommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-img (qemu-utils) with the export as an NBD image: info, convert into it, compare against it. */
class QemuImgIT {

    private static final int SIZE = 8 << 20;

    @TempDir
    Path workDir;

    @Test
    void shouldReportTheVirtualSizeOfTheExport() throws IOException {
        try (InteropServer server = InteropServer.start(Export.memory(SIZE), workDir)) {
            String json = Programs.succeed("qemu-img", "info", "--output=json", server.uri());

            JsonNode info = new ObjectMapper().readTree(json);
            assertThat(info.path("virtual-size").asLong()).isEqualTo(SIZE);
            assertThat(info.path("format").asText()).isEqualTo("raw");
        }
    }

    @Test
    void shouldConvertAnImageIntoTheExportAndCompareEqual() throws IOException {
        long seed = new Random().nextLong();
        Path image = randomImage(seed);

        try (InteropServer server = InteropServer.start(Export.memory(SIZE), workDir)) {
            Programs.succeed("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(), server.uri());

            CommandRunner.Result compare = Programs.run("qemu-img", "compare", "-f", "raw", "-F", "raw",
                    image.toString(), server.uri());
            assertThat(compare.exitCode()).as("seed %d: %s", seed, compare.describe()).isZero();
            assertThat(compare.stdout()).contains("Images are identical");
        }
    }

    @Test
    void shouldFindTheChangedByteWhenTheImageDiffers() throws IOException {
        long seed = new Random().nextLong();
        Path image = randomImage(seed);

        try (InteropServer server = InteropServer.start(Export.memory(SIZE), workDir)) {
            Programs.succeed("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(), server.uri());
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.seek(5_000_000);
                int old = file.read();
                file.seek(5_000_000);
                file.write(old ^ 0xff);
            }

            CommandRunner.Result compare = Programs.run("qemu-img", "compare", "-f", "raw", "-F", "raw",
                    image.toString(), server.uri());
            // exit status 1: the images differ; the first difference is reported by its sector's offset
            assertThat(compare.exitCode()).as("seed %d: %s", seed, compare.describe()).isEqualTo(1);
            assertThat(compare.stdout()).contains("Content mismatch at offset " + (5_000_000 / 512 * 512) + "!");
        }
    }

    private Path randomImage(long seed) throws IOException {
        byte[] data = new byte[SIZE];
        new Random(seed).nextBytes(data);
        // a zero stretch in the middle, so convert's zero detection and the server's zero writes are exercised
        java.util.Arrays.fill(data, 2 << 20, 3 << 20, (byte) 0);
        Path image = workDir.resolve("image-" + seed + ".raw");
        Files.write(image, data);
        return image;
    }
}
