package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** jdrbd meta against the real drbdmeta 9.22 on sparse files: create-md and dump-md agree byte for byte. */
class MetaInteropIT {

    @TempDir
    Path dir;

    static Stream<Arguments> geometries() {
        List<Arguments> cases = new ArrayList<>();
        long[] internalSizes = {64L << 20, 100L << 20, 67109375L, 300L << 20};
        for (long size : internalSizes) {
            for (int peers = 1; peers <= 4; peers++) {
                cases.add(Arguments.of("internal", size, peers, new String[0]));
            }
        }
        for (long size : new long[] {10L << 20, 16L << 20}) {
            for (int peers = 1; peers <= 4; peers++) {
                cases.add(Arguments.of("flex-external", size, peers, new String[0]));
            }
        }
        cases.add(Arguments.of("internal", 256L << 20, 2, new String[] {"--al-stripes", "4", "--al-stripe-size-kB",
            "64"}));
        cases.add(Arguments.of("internal", 256L << 20, 1, new String[] {"--al-stripes", "3", "--al-stripe-size-kB",
            "12"}));
        cases.add(Arguments.of("flex-external", 16L << 20, 3, new String[] {"--al-stripes", "2"}));
        cases.add(Arguments.of("0", 160L << 20, 2, new String[0]));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes, max-peers {2} {3}")
    @MethodSource("geometries")
    void createMdIsByteIdenticalAndDumpsAgree(String where, long size, int peers, String[] options) throws Exception {
        Drbdmeta tools = new Drbdmeta();
        Path theirs = Drbdmeta.sparseImage(dir, "theirs.img", size);
        Path ours = Drbdmeta.sparseImage(dir, "ours.img", size);
        List<String> create = new ArrayList<>(List.of(options));
        create.add(0, "create-md");
        create.add(String.valueOf(peers));
        Drbdmeta.Run real = tools.real(theirs, where, create.toArray(String[]::new));
        assertThat(real.exitCode()).as("drbdmeta create-md: %s", real.err()).isZero();
        Drbdmeta.Run mine = tools.ours(ours, where, create.toArray(String[]::new));
        assertThat(mine.exitCode()).as("jdrbd create-md: %s", mine.err()).isZero();
        assertThat(Files.mismatch(theirs, ours)).as("first differing byte").isEqualTo(-1L);

        Drbdmeta.Run theirDump = tools.real(ours, where, "dump-md");
        Drbdmeta.Run ourDump = tools.ours(ours, where, "dump-md");
        assertThat(theirDump.exitCode()).as(theirDump.err()).isZero();
        assertThat(ourDump.dumpBody()).isEqualTo(theirDump.dumpBody());
    }
}
