package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.file.FileBlockDevice;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.disk.MetadataStore;
import io.jdrbd.metadata.text.DumpParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** drbdmeta writes (restore-md, set-gi), jdrbd reads exactly those values; and the reverse. */
class MetaRoundTripIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}: {1} bytes, max-peers {2}")
    @CsvSource({
        "1, 67108864, 1", "2, 67108864, 2", "3, 104857600, 3", "4, 67109375, 4",
        "5, 268435456, 2", "6, 268435456, 4", "7, 134217728, 3",
    })
    void drbdmetaRestoreIsReadExactlyAndOurRestoreIsByteIdentical(long seed, long size, int peers)
            throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Random random = new Random(seed);
        Path theirs = Drbdmeta.sparseImage(dir, "theirs.img", size);
        Path ours = Drbdmeta.sparseImage(dir, "ours.img", size);
        assertThat(tools.real(theirs, "internal", "create-md", String.valueOf(peers)).exitCode()).isZero();
        assertThat(tools.ours(ours, "internal", "create-md", String.valueOf(peers)).exitCode()).isZero();
        long usable = MetadataLayout.internal(size, peers, 1, 8).maxUsableSectors(size);
        String dumpText = RandomDumps.dump(random, peers, usable);
        Path dump = dir.resolve("dump.txt");
        Files.writeString(dump, dumpText);

        Drbdmeta.Run restored = tools.real(theirs, "internal", "restore-md", dump.toString());
        assertThat(restored.exitCode()).as("seed %d: %s", seed, restored.err()).isZero();
        assertThat(tools.ours(ours, "internal", "restore-md", dump.toString()).exitCode()).isZero();
        assertThat(Files.mismatch(theirs, ours)).as("seed %d: first differing byte", seed).isEqualTo(-1L);

        assertReadsExactly(theirs, size, DumpParser.parse(dumpText));
        assertThat(tools.ours(theirs, "internal", "dump-md").dumpBody())
                .isEqualTo(tools.real(theirs, "internal", "dump-md").dumpBody());
        for (int node = 0; node < 32; node += 5) {
            assertThat(tools.ours(theirs, "internal", "get-gi", "--node-id", String.valueOf(node)).out())
                    .isEqualTo(tools.real(theirs, "internal", "get-gi", "--node-id", String.valueOf(node)).out());
        }
    }

    private static void assertReadsExactly(Path image, long size, DumpParser.Dump dump) throws Exception {
        try (FileBlockDevice device = FileBlockDevice.open(image)) {
            MetadataLayout layout = MetadataLayout.internal(size, dump.maxPeers(), 1, 8);
            MetadataStore store = new MetadataStore(device, layout);
            Superblock sb = store.readSuperblock().join();
            assertThat(sb.uuids()).isEqualTo(dump.uuids());
            assertThat(sb.flags()).isEqualTo(dump.flags());
            assertThat(sb.peers()).isEqualTo(dump.peers());
            assertThat(sb.nodeId()).isEqualTo(dump.nodeId());
            assertThat(sb.effectiveSizeSect()).isEqualTo(dump.laSizeSect());
            assertThat(sb.deviceUuid()).isEqualTo(dump.deviceUuid());
            assertThat(sb.laPeerMaxBioSize()).isEqualTo(dump.laPeerMaxBioSize());
            Bitmap bitmap = Bitmap.forCapacity(sb.effectiveSizeSect(), sb.maxPeers());
            store.readBitmap(bitmap).join();
            for (int slot = 0; slot < dump.maxPeers(); slot++) {
                long[] numbers = dump.bitmaps().get(slot);
                assertThat(numbers.length).isEqualTo(bitmap.wordsPerSlot());
                for (int w = 0; w < numbers.length; w++) {
                    assertThat(bitmap.word(slot, w)).as("slot %d word %d", slot, w).isEqualTo(numbers[w]);
                }
            }
        }
    }

    @ParameterizedTest(name = "set-gi {0}")
    @CsvSource({"'::::1:1:0'", "'0123456789ABCDEF:FEDCBA9876543210:1111:2222:1:0:1:1:1:0:1:1:1:0:1:1'",
        "':::::::::::1'"})
    void setGiByDrbdmetaIsWhatWeRead(String gi) throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Path image = Drbdmeta.sparseImage(dir, "gi.img", 64L << 20);
        assertThat(tools.real(image, "internal", "create-md", "2").exitCode()).isZero();
        Drbdmeta.Run set = tools.real(image, "internal", "set-gi", "--node-id", "1", gi);
        assertThat(set.exitCode()).as(set.err()).isZero();
        for (String command : new String[] {"get-gi", "show-gi"}) {
            assertThat(tools.ours(image, "internal", command, "--node-id", "1").out())
                    .isEqualTo(tools.real(image, "internal", command, "--node-id", "1").out());
        }
        assertThat(tools.ours(image, "internal", "dstate").out()).isEqualTo(tools.real(image, "internal", "dstate")
                .out());
        Path copy = dir.resolve("copy.img");
        Files.copy(image, copy);
        Drbdmeta.Run ourSet = tools.ours(copy, "internal", "set-gi", "--node-id", "2", gi);
        Drbdmeta.Run theirSet = tools.real(image, "internal", "set-gi", "--node-id", "2", gi);
        assertThat(ourSet.out()).isEqualTo(theirSet.out());
        assertThat(Files.mismatch(image, copy)).isEqualTo(-1L);
    }

    @org.junit.jupiter.api.Test
    void v08MetaDataIsReportedAndNeverOverwritten() throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Path image = Drbdmeta.sparseImage(dir, "v08.img", 64L << 20);
        Drbdmeta.Run created = tools.realFormat("v08", image, "internal", "create-md");
        assertThat(created.exitCode()).as(created.err()).isZero();
        Drbdmeta.Run dump = tools.ours(image, "internal", "dump-md");
        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.out()).contains("v08 (DRBD 8.4) meta-data").contains("uuid 0x0000000000000004;")
                .contains("flags 0x00000080 (al-clean)");
        assertThat(dump.err()).contains("No valid meta data found (magic: v08 meta-data (DRBD 8.4), not v09)");
        Drbdmeta.Run create = tools.ours(image, "internal", "create-md", "1");
        assertThat(create.exitCode()).isEqualTo(20);
        assertThat(create.err()).contains("v08 (DRBD 8.4) meta-data in place");
        assertThat(tools.realFormat("v08", image, "internal", "dstate").out()).isEqualTo("Inconsistent\n");
    }
}
