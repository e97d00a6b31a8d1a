package io.jdrbd.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    private static FioResult reads(double iops, long p50Ns, long p99Ns) {
        return new FioResult("job", new FioResult.Direction(1000, iops, iops * 4096, p50Ns, p99Ns),
                new FioResult.Direction(0, 0, 0, -1, -1)).withServerCpu((long) (iops * 10 * 20_000), 10);
    }

    private static BenchResults twoServers() {
        BenchResults results = new BenchResults();
        // three runs each, in bench order (A B A B A B); medians: jdrbd 90k/50us, nbdkit 100k/40us
        results.add("randread-4k-qd64", "jdrbd", reads(80_000, 60_000, 200_000));
        results.add("randread-4k-qd64", "nbdkit", reads(100_000, 40_000, 100_000));
        results.add("randread-4k-qd64", "jdrbd", reads(90_000, 50_000, 150_000));
        results.add("randread-4k-qd64", "nbdkit", reads(110_000, 40_000, 100_000));
        results.add("randread-4k-qd64", "jdrbd", reads(95_000, 45_000, 120_000));
        results.add("randread-4k-qd64", "nbdkit", reads(90_000, 41_000, 120_000));
        return results;
    }

    @Test
    void shouldSummariseRunsByTheirMedians() {
        BenchResults.Summary jdrbd = twoServers().summary("randread-4k-qd64", "jdrbd");

        assertThat(jdrbd.runs()).isEqualTo(3);
        assertThat(jdrbd.iops()).isEqualTo(90_000);
        assertThat(jdrbd.latencyNsP50()).isEqualTo(50_000);
        assertThat(jdrbd.latencyNsP99()).isEqualTo(150_000);
        assertThat(jdrbd.iopsSpread()).isEqualTo(15_000.0 / 90_000);
        assertThat(jdrbd.serverCpuNanosPerIo()).isEqualTo(20_000);
        assertThat(BenchResults.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void shouldPutTheRatiosTargetOverReferenceOnTheReferenceRow() {
        String table = ResultTable.render(twoServers(), "jdrbd", List.of("nbdkit"), ResultTable.Format.MARKDOWN);

        assertThat(table.lines()).containsExactly(
                "| profile | server | IOPS | spread | MB/s | p50 µs | p99 µs | CPU µs/IO | IOPS ratio | p50 ratio "
                        + "| p99 ratio | CPU ratio |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                "| randread-4k-qd64 | jdrbd | 90000 | ±8% | 368.6 | 50 | 150 | 20.0 |  |  |  |  |",
                "|  | nbdkit | 100000 | ±10% | 409.6 | 40 | 100 | 20.0 | 0.90x | 1.25x | 1.50x | 1.00x |");
    }

    @Test
    void shouldAlignTheTextTableInColumns() {
        String table = ResultTable.render(twoServers(), "jdrbd", List.of("nbdkit"), ResultTable.Format.TEXT);

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("profile           server");
        assertThat(lines.get(2)).startsWith("                  nbdkit").endsWith("0.90x      1.25x      1.50x      1.00x");
    }
}
