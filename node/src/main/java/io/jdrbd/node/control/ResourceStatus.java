package io.jdrbd.node.control;

import io.jdrbd.node.runtime.ResourceRuntime;
import io.jdrbd.replication.engine.EngineConfig;
import io.jdrbd.replication.engine.ReplicationState;
import io.jdrbd.replication.wire.ConnState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A snapshot of one resource's state, taken on its event loop, in DRBD's words: what
 * {@code drbdsetup status} prints.
 */
public record ResourceStatus(String name, int nodeId, String role, int volume, int minor, String disk,
                             long sizeKib, List<Peer> peers) {

    /** One connection and its peer device (one volume). */
    public record Peer(String name, int nodeId, String connection, String role, String replication,
                       String peerDisk, long outOfSyncKib) {
    }

    public static CompletableFuture<ResourceStatus> of(ResourceRuntime runtime) {
        return runtime.onLoop(() -> {
            var engine = runtime.engineForStatus();
            EngineConfig config = engine.config();
            List<Peer> peers = new ArrayList<>();
            for (EngineConfig.PeerConfig peer : config.peers()) {
                ConnState connection = engine.connectionState(peer.nodeId());
                ReplicationState replication = engine.replicationState(peer.nodeId());
                peers.add(new Peer(peer.connName(), peer.nodeId(), connectionWord(connection),
                        engine.peerRole(peer.nodeId()).drbdName(), replication.drbdName(),
                        engine.peerDiskState(peer.nodeId()).drbdName(), engine.outOfSyncBlocks(peer.nodeId()) * 4));
            }
            return new ResourceStatus(config.resourceName(), config.nodeId(), engine.role().drbdName(), 0,
                    config.minor(), engine.diskState().drbdName(), engine.exposedSizeBytes() / 1024, peers);
        });
    }

    /** DRBD 9 reports replication states separately: a connection beyond Connected shows as Connected. */
    private static String connectionWord(ConnState state) {
        return state.ordinal() >= ConnState.CONNECTED.ordinal() ? ConnState.CONNECTED.drbdName() : state.drbdName();
    }

    /** {@code drbdsetup status} without options. */
    public String plain() {
        StringBuilder out = new StringBuilder();
        out.append(name).append(" role:").append(role).append('\n');
        out.append("  disk:").append(disk).append('\n');
        for (Peer peer : peers) {
            out.append("  ").append(peer.name());
            if (!peer.connection().equals("Connected")) {
                out.append(" connection:").append(peer.connection()).append('\n');
                continue;
            }
            out.append(" role:").append(peer.role()).append('\n');
            out.append("   ");
            if (!peer.replication().equals("Established")) {
                out.append(" replication:").append(peer.replication());
            }
            out.append(" peer-disk:").append(peer.peerDisk()).append('\n');
        }
        return out.append('\n').toString();
    }

    /** {@code drbdsetup status --verbose}. */
    public String verbose() {
        StringBuilder out = new StringBuilder();
        out.append(name).append(" node-id:").append(nodeId).append(" role:").append(role)
                .append(" suspended:no\n");
        out.append("  volume:").append(volume).append(" minor:").append(minor).append(" disk:").append(disk)
                .append(" client:no quorum:yes blocked:no\n");
        for (Peer peer : peers) {
            out.append("  ").append(peer.name()).append(" node-id:").append(peer.nodeId())
                    .append(" connection:").append(peer.connection()).append(" role:").append(peer.role())
                    .append(" congested:no\n");
            out.append("    volume:").append(volume).append(" replication:").append(peer.replication())
                    .append(" peer-disk:").append(peer.peerDisk()).append(" resync-suspended:no\n");
        }
        return out.append('\n').toString();
    }
}
