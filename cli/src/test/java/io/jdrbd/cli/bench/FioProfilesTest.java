package io.jdrbd.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FioProfilesTest {

    /** The repository's fio-profiles/ directory (tests run in the cli module's directory). */
    private static final Path PROFILE_DIR = Path.of("..", "fio-profiles");

    @Test
    void shouldKnowExactlyTheJobFilesOfTheProfileDirectory() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(PROFILE_DIR)) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".fio"))
                    .map(n -> n.substring(0, n.length() - ".fio".length())).sorted().collect(Collectors.toList());
        }
        List<String> known = new ArrayList<>(FioProfiles.all());
        known.add(FioProfiles.PREFILL);
        known.sort(null);

        assertThat(files).isEqualTo(known);
    }

    @Test
    void shouldPackageEveryProfileAsInTheDirectory() throws IOException {
        for (String name : FioProfiles.all()) {
            assertThat(FioProfiles.jobText(name, Optional.empty())).as(name)
                    .isEqualTo(Files.readString(PROFILE_DIR.resolve(name + ".fio")));
        }
    }

    @Test
    void shouldUseTheNbdEngineWithTheUriAndRuntimeFromTheEnvironment() {
        for (String name : FioProfiles.all()) {
            String job = FioProfiles.jobText(name, Optional.of(PROFILE_DIR));
            assertThat(job).as(name).contains("ioengine=nbd", "uri=${NBD_URI}", "runtime=${FIO_RUNTIME}",
                    "time_based=1", "lat_percentiles=1", "[" + name + "]");
        }
        assertThat(FioProfiles.jobText(FioProfiles.PREFILL, Optional.of(PROFILE_DIR)))
                .contains("ioengine=nbd", "uri=${NBD_URI}", "rw=write").doesNotContain("time_based");
    }

    @Test
    void shouldExpandGroupsKeepingOrderAndDroppingDuplicates() {
        assertThat(FioProfiles.select("table")).isEqualTo(FioProfiles.LINBIT_TABLE);
        assertThat(FioProfiles.select("randread-4k-qd1, durable,randread-4k-qd1"))
                .containsExactly("randread-4k-qd1", "randwrite-4k-qd64-fsync", "randwrite-4k-qd1-fsync",
                        "seqwrite-128k-qd16-fsync");
        assertThat(FioProfiles.select("all")).hasSize(10);
    }

    @Test
    void shouldRejectAnUnknownProfileListingTheKnownOnes() {
        assertThatThrownBy(() -> FioProfiles.select("randread-4k-qd2"))
                .hasMessageContaining("'randread-4k-qd2'").hasMessageContaining("randread-4k-qd64");
    }

    @Test
    void shouldPrefillOnlyForProfilesThatRead() {
        assertThat(FioProfiles.reads("randread-4k-qd64")).isTrue();
        assertThat(FioProfiles.reads("randrw70-4k-qd64")).isTrue();
        assertThat(FioProfiles.reads("seqread-128k-qd16")).isTrue();
        assertThat(FioProfiles.reads("seqwrite-128k-qd16")).isFalse();
        assertThat(FioProfiles.reads("randwrite-4k-qd1-fsync")).isFalse();
    }
}
