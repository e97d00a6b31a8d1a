package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.metadata.MetadataLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** jdrbd meta on damaged meta-data and dump files: one-line errors naming the field, never a crash. */
class MetaCorruptionTest {
    private static final long SIZE = 64L << 20;
    private static final long MD_OFFSET = MetadataLayout.internal(SIZE, 2, 1, 8).mdOffsetBytes();

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result meta(Path image, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new java.util.ArrayList<>(List.of("--force", "/dev/drbd250", "v09", image.toString(),
                "internal"));
        line.addAll(List.of(command));
        int code = new MetaTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(line);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path freshImage() throws Exception {
        Path image = Drbdmeta.sparseImage(dir, "img", SIZE);
        assertThat(meta(image, "create-md", "2").code()).isZero();
        return image;
    }

    private static void flip(Path image, long offset) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            int value = file.read();
            file.seek(offset);
            file.write(value ^ 0x40);
        }
    }

    @ParameterizedTest(name = "byte {0} -> {1}")
    @CsvSource({"60, magic", "68, al-offset", "76, bm-offset", "80, bm-byte-per-bit", "88, max-peers",
        "92, node-id", "96, al-stripes", "100, al-stripe-size-4k", "132, peer[0].bitmap-index",
        "1124, peer[31].bitmap-index"})
    void flippedSuperblockFieldIsNamedInAOneLineError(long offset, String field) throws Exception {
        Path image = freshImage();
        flip(image, MD_OFFSET + offset);
        for (String command : new String[] {"dump-md", "dstate", "apply-al"}) {
            Result result = meta(image, command);
            assertThat(result.code()).as(command).isEqualTo(1);
            assertThat(result.err()).as(command).startsWith("No valid meta data found").contains(field)
                    .hasLineCount(1);
        }
    }

    @Test
    void everyFlippedSuperblockByteEitherFailsCleanlyOrDumps() throws Exception {
        Path image = freshImage();
        Random random = new Random(3);
        for (int round = 0; round < 60; round++) {
            long offset = MD_OFFSET + random.nextInt(1392);
            flip(image, offset);
            Result result = meta(image, "dump-md");
            assertThat(result.code()).as("byte %d: %s", offset - MD_OFFSET, result.err()).isIn(0, 1);
            if (result.code() == 0) {
                assertThat(result.out()).contains("version \"v09\";");
            }
            flip(image, offset);
        }
    }

    @Test
    void corruptAlTransactionIsCountedAndSkipped() throws Exception {
        Path image = freshImage();
        long alStart = MetadataLayout.internal(SIZE, 2, 1, 8).alStartBytes();
        flip(image, alStart + 4096 * 3 + 100);
        Result result = meta(image, "apply-al");
        assertThat(result.code()).isZero();
        assertThat(result.err()).contains("1 corrupt AL transactions found")
                .contains("al ring position 3 crc32c");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "version \"v08\"; | version \"v09\" expected",
        "version \"v09\"; max-peers 40; | out of range 1..32",
        "version \"v09\"; max-peers 2; node-id 0; current-uuid 0x12; | 0x and 16 hex digits expected",
        "garbage | 'version' expected",
    })
    void badDumpFilesAreRejectedWithTheirLine(String text, String message) throws Exception {
        Path image = freshImage();
        Path dump = dir.resolve("bad.txt");
        Files.writeString(dump, text);
        Result result = meta(image, "restore-md", dump.toString());
        assertThat(result.code()).isEqualTo(10);
        assertThat(result.err()).contains("line 1").contains(message).hasLineCount(1);
    }
}
