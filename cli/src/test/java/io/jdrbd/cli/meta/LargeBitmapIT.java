package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.metadata.MetadataLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bitmaps larger than drbdmeta's 32 MiB read chunk: runs placed across the chunk boundary are
 * printed the way drbdmeta prints them (1.5 TiB sparse image, max-peers 1, 48 MiB of bitmap).
 */
class LargeBitmapIT {
    private static final long SIZE = 3L << 39;
    /** 64-bit numbers per 32 MiB chunk with one slot. */
    private static final long CHUNK_NUMBERS = (32L << 20) / 8;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "ones from number chunk{0}, {1} numbers")
    @CsvSource({"-4, 100", "-8, 8", "-12, 40", "-16, 16", "0, 64", "-3, 30"})
    void dumpsAgreeAcrossTheChunkBoundary(long startOffset, long length) throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Path image = Drbdmeta.sparseImage(dir, "big.img", SIZE);
        assertThat(tools.ours(image, "internal", "create-md", "1").exitCode()).isZero();
        long laSize = MetadataLayout.internal(SIZE, 1, 1, 8).maxUsableSectors(SIZE);
        long numbers = MetadataLayout.bitsPerSlot(laSize) / 64;
        long start = CHUNK_NUMBERS + startOffset;
        String items = " " + start + " times 0x0000000000000000; " + length + " times 0xFFFFFFFFFFFFFFFF; "
                + (numbers - start - length) + " times 0x0000000000000000; ";
        Path dump = dir.resolve("dump.txt");
        Files.writeString(dump, RandomDumps.withBitmap(laSize, items));
        Drbdmeta.Run restored = tools.real(image, "internal", "restore-md", dump.toString());
        assertThat(restored.exitCode()).as(restored.err()).isZero();
        Drbdmeta.Run theirs = tools.real(image, "internal", "dump-md");
        assertThat(theirs.exitCode()).as(theirs.err()).isZero();
        assertThat(tools.ours(image, "internal", "dump-md").dumpBody()).isEqualTo(theirs.dumpBody());
    }
}
