package io.jdrbd.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.node.control.ResourceStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** drbd-reactor's metric names, types and labels (src/plugin/prometheus.rs), from a fixed snapshot. */
class DrbdMetricFamiliesTest {

    private static String exposition() throws Exception {
        ResourceStatus.Device device = new ResourceStatus.Device(0, 3, "UpToDate", "/dev/vg/r0", true, true, 1024, 8,
                16, 2, 1, 0, 0);
        ResourceStatus.Peer peer = new ResourceStatus.Peer("bob", 1, "Connected", "Secondary", "Established",
                "UpToDate", 12, 0, 16);
        ResourceStatus status = new ResourceStatus("r0", 0, "Primary", false, 10102, "flush", device, List.of(peer));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, DrbdMetricFamilies.of(List.of(status)),
                EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void resourceConnectionAndDeviceStatesAreOneHotEnums() throws Exception {
        assertThat(exposition())
                .contains("drbd_resource_resources 1.0\n")
                .contains("drbd_resource_role{drbd_resource_role=\"Primary\",name=\"r0\"} 1.0\n")
                .contains("drbd_resource_role{drbd_resource_role=\"Secondary\",name=\"r0\"} 0.0\n")
                .contains("drbd_resource_promotionscore{name=\"r0\"} 10102.0\n")
                .contains("drbd_connection_state{conn_name=\"bob\",drbd_connection_state=\"Connected\",name=\"r0\","
                        + "peer_node_id=\"1\"} 1.0\n")
                .contains("drbd_device_state{drbd_device_state=\"UpToDate\",minor=\"3\",name=\"r0\","
                        + "volume=\"0\"} 1.0\n")
                .contains("drbd_device_open{minor=\"3\",name=\"r0\",volume=\"0\"} 1.0\n");
    }

    @Test
    void sizesAndCountersAreInBytesWithDrbdReactorsTypes() throws Exception {
        assertThat(exposition())
                .contains("# TYPE drbd_device_written_bytes_total counter\n")
                .contains("drbd_device_written_bytes_total{minor=\"3\",name=\"r0\",volume=\"0\"} 16384.0\n")
                .contains("drbd_device_read_bytes_total{minor=\"3\",name=\"r0\",volume=\"0\"} 8192.0\n")
                .contains("drbd_device_alwrites_total{minor=\"3\",name=\"r0\",volume=\"0\"} 2.0\n")
                .contains("drbd_device_bmwrites_total{minor=\"3\",name=\"r0\",volume=\"0\"} 1.0\n")
                .contains("drbd_device_size_bytes{minor=\"3\",name=\"r0\",volume=\"0\"} 1048576.0\n")
                .contains("drbd_peerdevice_outofsync_bytes{conn_name=\"bob\",name=\"r0\",peer_node_id=\"1\","
                        + "volume=\"0\"} 12288.0\n")
                .contains("drbd_peerdevice_sent_bytes{conn_name=\"bob\",name=\"r0\",peer_node_id=\"1\",volume=\"0\"} "
                        + "16384.0\n");
    }
}
