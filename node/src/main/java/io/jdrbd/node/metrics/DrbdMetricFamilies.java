package io.jdrbd.node.metrics;

import io.jdrbd.node.control.ResourceStatus;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.Role;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * drbd-reactor's Prometheus metric families (its prometheus plugin with {@code enums = true}), built
 * from status snapshots: the same names, types, help texts' meanings and labels ({@code name},
 * {@code conn_name}, {@code peer_node_id}, {@code volume}, {@code minor}; an enum metric carries its
 * own name as the label of the state word). Counters print with {@code _total} as drbd-reactor's
 * do; drbd-reactor prints {@code drbd_peerdevice_sent_bytes} and {@code _received_bytes} without
 * {@code _total}, so they are gauges here to keep the names dashboards query. Metrics for values
 * jdrbd does not track (congestion, in-flight bytes, the AL-suspended flag) are left out.
 */
final class DrbdMetricFamilies {

    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Point(Labels labels, double value) {
    }

    private record Family(String help, boolean counter, List<Point> points) {
    }

    private DrbdMetricFamilies() {
    }

    static MetricSnapshots of(List<ResourceStatus> resources) {
        DrbdMetricFamilies out = new DrbdMetricFamilies();
        out.gauge("drbd_resource_resources", "Number of resources", Labels.EMPTY, resources.size());
        for (ResourceStatus resource : resources) {
            out.resource(resource);
        }
        return out.build();
    }

    private void resource(ResourceStatus resource) {
        Labels name = Labels.of("name", resource.name());
        for (Role role : Role.values()) {
            gauge("drbd_resource_role", "DRBD role of the resource",
                    name.add("drbd_resource_role", role.drbdName()), role.drbdName().equals(resource.role()) ? 1 : 0);
        }
        gauge("drbd_resource_suspended", "Boolean whether the resource is suspended", name, 0);
        gauge("drbd_resource_maypromote", "Boolean whether the resource may be promoted to Primary", name,
                resource.mayPromote() ? 1 : 0);
        gauge("drbd_resource_promotionscore", "The promotion score (higher is better) for the resource", name,
                resource.promotionScore());
        gauge("drbd_resource_forceiofailures", "Boolean whether the resource is configured (could be temporarily) "
                + "to force IO failures (e.g., during secondary --force)", name, 0);
        for (ResourceStatus.Peer peer : resource.peers()) {
            Labels common = Labels.of("name", resource.name(), "conn_name", peer.name(), "peer_node_id",
                    String.valueOf(peer.nodeId()));
            for (ConnState state : ConnState.values()) {
                if (state.ordinal() > ConnState.CONNECTED.ordinal()) {
                    break;
                }
                gauge("drbd_connection_state", "DRBD connection state",
                        common.add("drbd_connection_state", state.drbdName()),
                        state.drbdName().equals(peer.connection()) ? 1 : 0);
            }
            Labels volume = common.add("volume", String.valueOf(resource.device().volume()));
            gauge("drbd_peerdevice_outofsync_bytes", "Number of bytes currently out of sync with this peer, "
                    + "according to the bitmap that DRBD has for it", volume, peer.outOfSyncKib() * 1024);
            gauge("drbd_peerdevice_sent_bytes", "Number of bytes currently sent to this peer", volume,
                    peer.sentKib() * 1024);
            gauge("drbd_peerdevice_received_bytes", "Number of bytes currently received from this peer", volume,
                    peer.receivedKib() * 1024);
        }
        device(resource);
    }

    private void device(ResourceStatus resource) {
        ResourceStatus.Device device = resource.device();
        Labels common = Labels.of("name", resource.name(), "volume", String.valueOf(device.volume()), "minor",
                String.valueOf(device.minor()));
        for (DiskState state : DiskState.values()) {
            gauge("drbd_device_state", "DRBD device state", common.add("drbd_device_state", state.drbdName()),
                    state.drbdName().equals(device.disk()) ? 1 : 0);
        }
        gauge("drbd_device_client", "Boolean whether this device is a client (i.e., intentional diskless)", common,
                0);
        gauge("drbd_device_unintentionaldiskless", "Boolean whether the devices is unintentional diskless", common,
                device.disk().equals("Diskless") ? 1 : 0);
        gauge("drbd_device_quorum", "Boolean if this device has DRBD quorum", common, device.quorum() ? 1 : 0);
        gauge("drbd_device_open", "Boolean if this device is opened", common, device.open() ? 1 : 0);
        gauge("drbd_device_size_bytes", "Device size in bytes", common, device.sizeKib() * 1024);
        counter("drbd_device_read_bytes", "Net data read from local hard disk", common, device.readKib() * 1024);
        counter("drbd_device_written_bytes", "Net data written on local disk", common, device.writtenKib() * 1024);
        counter("drbd_device_alwrites", "Number of updates of the activity log area of the meta data", common,
                device.alWrites());
        counter("drbd_device_bmwrites", "Number of updates of the bitmap area of the meta data", common,
                device.bmWrites());
        gauge("drbd_device_upperpending", "Number of block I/O requests forwarded to DRBD, but not yet answered by "
                + "DRBD.", common, device.upperPending());
        gauge("drbd_device_lowerpending", "Number of open requests to the local I/O sub-system issued by DRBD",
                common, device.lowerPending());
    }

    private void gauge(String name, String help, Labels labels, double value) {
        families.computeIfAbsent(name, n -> new Family(help, false, new ArrayList<>()))
                .points().add(new Point(labels, value));
    }

    private void counter(String name, String help, Labels labels, double value) {
        families.computeIfAbsent(name, n -> new Family(help, true, new ArrayList<>()))
                .points().add(new Point(labels, value));
    }

    private MetricSnapshots build() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, Family> entry : families.entrySet()) {
            Family family = entry.getValue();
            if (family.counter()) {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(entry.getKey()).help(family.help());
                for (Point point : family.points()) {
                    builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(point.labels())
                            .value(point.value()).build());
                }
                snapshots.add(builder.build());
            } else {
                GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(entry.getKey()).help(family.help());
                for (Point point : family.points()) {
                    builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(point.labels())
                            .value(point.value()).build());
                }
                snapshots.add(builder.build());
            }
        }
        return new MetricSnapshots(snapshots);
    }
}
