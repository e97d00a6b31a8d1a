package io.jdrbd.replication.wire;

/**
 * P_FLUSH_FORWARD (nodeId = initiator_node_id) / P_FLUSH_REQUESTS_ACK (nodeId = primary_node_id).
 */
public record FlushNodePacket(PacketType type, long flushSequence, int nodeId) implements Packet {

    public FlushNodePacket {
        PacketChecks.requireLayout(type, Layout.FLUSH_NODE);
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
