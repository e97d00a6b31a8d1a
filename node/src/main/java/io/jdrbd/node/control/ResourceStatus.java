package io.jdrbd.node.control;

import io.jdrbd.node.runtime.ResourceCounters;
import io.jdrbd.node.runtime.ResourceRuntime;
import io.jdrbd.replication.engine.Engine;
import io.jdrbd.replication.engine.EngineConfig;
import io.jdrbd.replication.engine.ReplicationState;
import io.jdrbd.replication.wire.ConnState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A snapshot of one resource's state and statistics, taken on its event loop, in DRBD's words: what
 * {@code drbdsetup status} prints ({@link StatusText}, {@link StatusJson}) and what the Prometheus
 * endpoint exports. Only values jdrbd really tracks are here; docs/user-guide.md ("What status leaves
 * out") lists the DRBD fields left out (pending, unacked, congested, ap-in-flight, paths).
 *
 * @param writeOrdering the write-ordering method: jdrbd orders writes with flushes of the backing device
 */
public record ResourceStatus(String name, int nodeId, String role, boolean mayPromote, int promotionScore,
                             String writeOrdering, Device device, List<Peer> peers) {

    /**
     * The resource's one volume. Sizes and byte counters in KiB, as drbdsetup prints them.
     *
     * @param open whether an NBD client has the device open (DRBD: the block device is open)
     */
    public record Device(int volume, int minor, String disk, String backingDev, boolean quorum, boolean open,
                         long sizeKib, long readKib, long writtenKib, long alWrites, long bmWrites,
                         int upperPending, int lowerPending) {
    }

    /** One connection and its peer device (volume 0). */
    public record Peer(String name, int nodeId, String connection, String role, String replication,
                       String peerDisk, long outOfSyncKib, long receivedKib, long sentKib) {

        public boolean connected() {
            return connection.equals(ConnState.CONNECTED.drbdName());
        }

        /** A resync runs (SyncSource … PausedSyncT except verify): drbdsetup then prints {@code done:}. */
        public boolean resyncing() {
            ReplicationState state = replicationState(replication);
            return state != null && state.ordinal() >= ReplicationState.SYNC_SOURCE.ordinal()
                    && state.ordinal() <= ReplicationState.PAUSED_SYNC_T.ordinal()
                    && state != ReplicationState.VERIFY_S && state != ReplicationState.VERIFY_T;
        }
    }

    public static CompletableFuture<ResourceStatus> of(ResourceRuntime runtime) {
        return runtime.onLoop(() -> snapshot(runtime, runtime.engineForStatus()));
    }

    private static ResourceStatus snapshot(ResourceRuntime runtime, Engine engine) {
        EngineConfig config = engine.config();
        ResourceCounters counters = runtime.counters();
        List<Peer> peers = new ArrayList<>();
        for (EngineConfig.PeerConfig peer : config.peers()) {
            int id = peer.nodeId();
            peers.add(new Peer(peer.connName(), id, connectionWord(engine.connectionState(id)),
                    engine.peerRole(id).drbdName(), engine.replicationState(id).drbdName(),
                    engine.peerDiskState(id).drbdName(), engine.outOfSyncBlocks(id) * 4,
                    counters.receivedBytes(id) / 1024, counters.sentBytes(id) / 1024));
        }
        // The engine has no quorum configured: like DRBD with quorum off, the device always has quorum.
        Device device = new Device(0, config.minor(), engine.diskState().drbdName(), config.backingDev(), true,
                runtime.openCount() > 0, engine.exposedSizeBytes() / 1024, counters.readBytes() / 1024,
                counters.writtenBytes() / 1024, counters.activityLogWrites(), counters.bitmapWrites(),
                runtime.upperPending(), counters.lowerPending());
        String resourceLine = engine.existsLines().get(0);
        return new ResourceStatus(config.resourceName(), config.nodeId(), engine.role().drbdName(),
                field(resourceLine, "may_promote").equals("yes"),
                Integer.parseInt(field(resourceLine, "promotion_score")), "flush", device, peers);
    }

    /** A {@code key:value} field of an events2 line (the engine's last reported view). */
    static String field(String line, String key) {
        String marker = " " + key + ":";
        int at = line.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("events2 line without " + key + ": " + line);
        }
        int start = at + marker.length();
        int end = line.indexOf(' ', start);
        return end < 0 ? line.substring(start) : line.substring(start, end);
    }

    /** DRBD 9 reports replication states separately: a connection beyond Connected shows as Connected. */
    private static String connectionWord(ConnState state) {
        return state.ordinal() >= ConnState.CONNECTED.ordinal() ? ConnState.CONNECTED.drbdName() : state.drbdName();
    }

    private static ReplicationState replicationState(String word) {
        for (ReplicationState state : ReplicationState.values()) {
            if (state.drbdName().equals(word)) {
                return state;
            }
        }
        return null;
    }

    /** The local disk state. */
    public String disk() {
        return device.disk();
    }

    /** {@code drbdsetup status} without options. */
    public String plain() {
        return StatusText.render(this, false, false);
    }

    /** Percentage of the device in sync with {@code peer}, as drbdsetup computes it without resync details. */
    public double percentInSync(Peer peer) {
        return device.sizeKib() == 0 ? 0 : 100 * (1 - (double) peer.outOfSyncKib() / (double) device.sizeKib());
    }
}
