package io.jdrbd.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reports captured from fio 3.33 ({@code ioengine=nbd}, our profiles) against nbdkit memory. */
class FioResultTest {

    private static String report(String name) throws IOException {
        try (InputStream in = FioResultTest.class.getResourceAsStream("/fio/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldReadIopsBandwidthAndTotalLatencyPercentilesOfAReadJob() throws IOException {
        FioResult result = FioResult.parse(report("randread-4k-qd1.json"));

        assertThat(result.jobName()).isEqualTo("randread-4k-qd1");
        assertThat(result.iops()).isCloseTo(24596.2, within(0.1));
        assertThat(result.bytesPerSecond()).isEqualTo(100746042.0);
        assertThat(result.dominantName()).isEqualTo("read");
        // lat_ns (total latency), not clat_ns: these are the lat_ns percentiles of the report
        assertThat(result.dominant().latencyNsP50()).isEqualTo(31360);
        assertThat(result.dominant().latencyNsP99()).isEqualTo(100864);
        assertThat(result.write().totalIos()).isZero();
    }

    @Test
    void shouldSumBothDirectionsOfAMixedJobAndTakeLatencyFromTheBusierOne() throws IOException {
        FioResult result = FioResult.parse(report("randrw70-4k-qd64.json"));

        assertThat(result.iops()).isCloseTo(98189.405297 + 42271.864068, within(0.001));
        assertThat(result.bytesPerSecond()).isEqualTo(402277965.0 + 173180353.0);
        assertThat(result.dominantName()).isEqualTo("read");
        assertThat(result.dominant().latencyNsP50()).isEqualTo(432128);
        assertThat(result.write().latencyNsP99()).isEqualTo(1019904);
    }

    @Test
    void shouldSkipTheNbdEnginesChatterBeforeTheJson() throws IOException {
        String text = report("randread-4k-qd1.json");
        assertThat(text).startsWith("fio: connected to NBD server");

        assertThat(FioResult.parse(text).jobName()).isEqualTo("randread-4k-qd1");
    }

    @Test
    void shouldRejectAReportWhoseJobFailed() {
        String failed = "{\n\"jobs\":[{\"jobname\":\"x\",\"error\":22,\"read\":{},\"write\":{}}]}";

        assertThatThrownBy(() -> FioResult.parse(failed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x failed with error 22");
    }

    @Test
    void shouldRejectTextThatIsNoReport() {
        assertThatThrownBy(() -> FioResult.parse("fio: failed parsing runtime=${FIO_RUNTIME}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JSON report");
        assertThatThrownBy(() -> FioResult.parse("{\n\"jobs\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no jobs");
    }

    @Test
    void shouldReportMissingPercentilesAsMinusOne() {
        FioResult result = FioResult.parse("{\n\"jobs\":[{\"jobname\":\"x\",\"error\":0,"
                + "\"read\":{\"total_ios\":5,\"iops\":5.0,\"bw_bytes\":20480},\"write\":{}}]}");

        assertThat(result.dominant().latencyNsP50()).isEqualTo(-1);
        assertThat(result.iops()).isEqualTo(5.0);
    }

    @Test
    void shouldDivideTheServersCpuTimeByTheIosOfTheWholeRun() throws IOException {
        FioResult result = FioResult.parse(report("randread-4k-qd1.json"));

        // 24596.2 IOPS over 3 s (2 s run + 1 s ramp) = 73788.6 I/Os in 1.5 s of server CPU
        assertThat(result.withServerCpu(1_500_000_000L, 3).serverCpuNanosPerIo()).isCloseTo(20328.3, within(0.1));
        assertThat(result.serverCpuNanosPerIo()).isEqualTo(-1);
        assertThat(result.withServerCpu(-1, 3).serverCpuNanosPerIo()).isEqualTo(-1);
    }
}
