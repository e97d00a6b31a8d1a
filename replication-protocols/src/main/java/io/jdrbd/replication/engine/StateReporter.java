package io.jdrbd.replication.engine;

import io.jdrbd.replication.engine.Events2Line.ObjectType;
import io.jdrbd.replication.wire.ConnState;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns state into events2 lines. It remembers what it last reported; {@link #publish} compares the
 * engine's current state with it and emits one {@code change} line per object that changed, carrying
 * only the changed fields (with DRBD's grouping: peer-disk is followed by peer-client, may_promote by
 * promotion_score, a device line carries backing_dev, disk, client and quorum), in DRBD's object order:
 * resource, connections, device, peer-devices — peers in node-id order.
 */
final class StateReporter {

    /** What events2 shows of one peer. */
    record PeerView(ConnState connection, Role role, ReplicationState replication, DiskState peerDisk) {
    }

    /** What events2 shows of the resource. */
    record View(Role role, boolean mayPromote, int promotionScore, DiskState disk, PeerView[] peers) {
    }

    private final EngineConfig config;
    private View reported;

    StateReporter(EngineConfig config, View initial) {
        this.config = config;
        this.reported = initial;
    }

    /** Emits change lines for every difference between {@code now} and the last reported state. */
    void publish(View now, Outputs out) {
        View old = reported;
        reported = now;
        StringBuilder line = new StringBuilder();
        if (old.role() != now.role() || old.mayPromote() != now.mayPromote()
                || old.promotionScore() != now.promotionScore()) {
            line.setLength(0);
            line.append("change resource name:").append(config.resourceName());
            if (old.role() != now.role()) {
                line.append(" role:").append(now.role().drbdName());
            }
            if (old.mayPromote() != now.mayPromote() || old.promotionScore() != now.promotionScore()) {
                appendMayPromote(line, now);
            }
            emit(out, ObjectType.RESOURCE, line);
        }
        for (int i = 0; i < now.peers().length; i++) {
            PeerView before = old.peers()[i];
            PeerView after = now.peers()[i];
            if (before.connection() != after.connection() || before.role() != after.role()) {
                line.setLength(0);
                connectionIds(line.append("change connection "), i);
                if (before.connection() != after.connection()) {
                    line.append(" connection:").append(after.connection().drbdName());
                }
                if (before.role() != after.role()) {
                    line.append(" role:").append(after.role().drbdName());
                }
                emit(out, ObjectType.CONNECTION, line);
            }
        }
        if (old.disk() != now.disk()) {
            line.setLength(0);
            deviceIds(line.append("change device "));
            deviceFields(line, now);
            emit(out, ObjectType.DEVICE, line);
        }
        for (int i = 0; i < now.peers().length; i++) {
            PeerView before = old.peers()[i];
            PeerView after = now.peers()[i];
            if (before.replication() != after.replication() || before.peerDisk() != after.peerDisk()) {
                line.setLength(0);
                peerDeviceIds(line.append("change peer-device "), i);
                if (before.replication() != after.replication()) {
                    line.append(" replication:").append(after.replication().drbdName());
                }
                if (before.peerDisk() != after.peerDisk()) {
                    line.append(" peer-disk:").append(after.peerDisk().drbdName()).append(" peer-client:no");
                }
                emit(out, ObjectType.PEER_DEVICE, line);
            }
        }
    }

    /** The {@code exists} lines of the initial events2 dump for the last reported state, then {@code exists -}. */
    List<String> existsLines() {
        View now = reported;
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("exists resource name:").append(config.resourceName())
                .append(" role:").append(now.role().drbdName()).append(" suspended:no force-io-failures:no");
        appendMayPromote(line, now);
        lines.add(line.toString());
        for (int i = 0; i < now.peers().length; i++) {
            line.setLength(0);
            connectionIds(line.append("exists connection "), i);
            line.append(" connection:").append(now.peers()[i].connection().drbdName()).append(" role:")
                    .append(now.peers()[i].role().drbdName());
            lines.add(line.toString());
        }
        line.setLength(0);
        deviceIds(line.append("exists device "));
        deviceFields(line, now);
        lines.add(line.toString());
        for (int i = 0; i < now.peers().length; i++) {
            line.setLength(0);
            peerDeviceIds(line.append("exists peer-device "), i);
            line.append(" replication:").append(now.peers()[i].replication().drbdName()).append(" peer-disk:")
                    .append(now.peers()[i].peerDisk().drbdName()).append(" peer-client:no resync-suspended:no");
            lines.add(line.toString());
        }
        lines.add("exists -");
        return lines;
    }

    private static void appendMayPromote(StringBuilder line, View view) {
        line.append(" may_promote:").append(view.mayPromote() ? "yes" : "no").append(" promotion_score:")
                .append(view.promotionScore());
    }

    private void connectionIds(StringBuilder line, int peerIndex) {
        EngineConfig.PeerConfig peer = config.peers().get(peerIndex);
        line.append("name:").append(config.resourceName()).append(" peer-node-id:").append(peer.nodeId())
                .append(" conn-name:").append(peer.connName());
    }

    private void peerDeviceIds(StringBuilder line, int peerIndex) {
        connectionIds(line, peerIndex);
        line.append(" volume:0");
    }

    private void deviceIds(StringBuilder line) {
        line.append("name:").append(config.resourceName()).append(" volume:0 minor:").append(config.minor());
    }

    private void deviceFields(StringBuilder line, View view) {
        // No quorum is configured in this engine, so the device always "has quorum" (DRBD's quorum off).
        line.append(" backing_dev:").append(config.backingDev()).append(" disk:").append(view.disk().drbdName())
                .append(" client:no quorum:yes");
    }

    private static void emit(Outputs out, ObjectType object, StringBuilder line) {
        out.add(new EngineOutput.EmitEvent(new Events2Line(line.substring(0, line.indexOf(" ")), object,
                line.toString())));
    }
}
