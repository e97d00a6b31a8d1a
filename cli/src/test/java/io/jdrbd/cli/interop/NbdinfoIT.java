package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nbdinfo (libnbd-bin) against a live jdrbd export: size, the export list, the allocation map. */
class NbdinfoIT {

    private static final long SIZE = 4L << 20;

    @TempDir
    static Path workDir;
    private static InteropServer server;

    @BeforeAll
    static void startServer() {
        server = InteropServer.start(Export.memory(SIZE).named("disk"), workDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldReportTheExportSize() {
        assertThat(Programs.succeed("nbdinfo", "--size", server.uri()).strip()).isEqualTo(Long.toString(SIZE));
    }

    @Test
    void shouldNegotiateStructuredRepliesAndOfferBaseAllocation() {
        String info = Programs.succeed("nbdinfo", server.uri());

        assertThat(info).contains("newstyle-fixed", "using structured packets", "base:allocation",
                "export-size: " + SIZE);
    }

    @Test
    void shouldListTheServedExportByName() {
        String list = Programs.succeed("nbdinfo", "--list", server.uri());

        assertThat(list).contains("export=\"disk\":").contains("export-size: " + SIZE);
    }

    @Test
    void shouldMapATrimmedRangeAsAHoleBetweenData() {
        // 1 MiB of data at 2 MiB, then trim its second quarter: data, hole, data
        CommandRunner.Result write = Programs.nbdsh("-u", server.uri(),
                "-c", "h.pwrite(b'\\x55' * 1048576, 2097152)", "-c", "h.trim(262144, 2359296)");
        assertThat(write.exitCode()).as(write.describe()).isZero();

        String map = Programs.succeed("nbdinfo", "--map", server.uri());

        assertThat(typeAt(map, 2097152)).as(map).isEqualTo(0);
        assertThat(typeAt(map, 2359296)).as(map).isEqualTo(3);
        assertThat(typeAt(map, 2621439)).as(map).isEqualTo(3);
        assertThat(typeAt(map, 2621440)).as(map).isEqualTo(0);
        assertThat(typeAt(map, 3145727)).as(map).isEqualTo(0);
    }

    /** The type (0 data, 3 hole+zero, ...) of the map line covering {@code offset}; -1 when none does. */
    static int typeAt(String map, long offset) {
        for (String line : map.strip().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            long start = Long.parseLong(fields[0]);
            long length = Long.parseLong(fields[1]);
            if (offset >= start && offset < start + length) {
                return Integer.parseInt(fields[2]);
            }
        }
        return -1;
    }
}
