package io.jdrbd.replication.wire;

/**
 * P_TWOPC_YES / P_TWOPC_NO / P_TWOPC_RETRY ({@code p_twopc_reply}, 32 bytes, same in v1 and v2).
 *
 * @param reachableNodes the replier's reachable nodes, OR-ed over what it forwarded to
 * @param primaryNodes state change: primary_nodes; resize: diskful_primary_nodes
 * @param weakNodes state change: weak_nodes; resize: max_possible_size (sectors)
 */
public record TwopcReply(PacketType type, int volume, int tid, int initiatorNodeId, long reachableNodes,
                         long primaryNodes, long weakNodes) implements Packet {

    public TwopcReply {
        PacketChecks.requireLayout(type, Layout.TWOPC_REPLY);
        PacketChecks.requireVolumeOrConnection(volume);
    }

    /** Resize reply: diskful primary nodes. */
    public long diskfulPrimaryNodes() {
        return primaryNodes;
    }

    /** Resize reply: the largest size (sectors) the replier's subtree can provide. */
    public long maxPossibleSize() {
        return weakNodes;
    }
}
