package io.jdrbd.replication.wire;

/**
 * P_TWOPC_PREPARE, P_TWOPC_PREP_RSZ, P_TWOPC_COMMIT, P_TWOPC_ABORT ({@code p_twopc_request}, 36 bytes).
 *
 * <p>Two layouts exist: v1 (no DRBD_FF_2PC_V2: u32 initiator and target node ids at offsets 4 and 8)
 * and v2 (DRBD_FF_2PC_V2: a flags word at 4 that always has {@link #TWOPC_HAS_FLAGS}, then pad, s8
 * initiator, s8 target). {@code flags == 0} selects v1. The 16 type-specific bytes at offset 20 are
 * kept as two raw words because their meaning depends on the transaction, which a COMMIT does not
 * name; use the typed accessors.
 *
 * @param tid transaction id (random, never 0)
 * @param flags v2 flags, 0 for the v1 layout
 * @param initiatorNodeId node that started the transaction
 * @param targetNodeId target node, -1 for the whole cluster
 * @param nodesToReach nodes the sender does not reach directly
 * @param typeSpecific1 u64 at offset 20: primary_nodes / user_size / diskful_primary_nodes
 * @param typeSpecific2 u64 at offset 28: mask ‖ val / reachable_nodes / dds_flags ‖ 0 / exposed_size
 */
public record TwopcRequest(PacketType type, int volume, int tid, int flags, int initiatorNodeId, int targetNodeId,
                           long nodesToReach, long typeSpecific1, long typeSpecific2) implements Packet {

    /** Always set in the v2 layout so that receivers and dissectors recognise it. */
    public static final int TWOPC_HAS_FLAGS = 0x80000000;
    /** v2 COMMIT/ABORT: bytes 28…35 hold reachable_nodes instead of mask/val. */
    public static final int TWOPC_HAS_REACHABLE = 0x40000000;
    public static final int TWOPC_PRI_INCAPABLE = 0x20000000;

    /** Target of a cluster-wide transaction. */
    public static final int ALL_NODES = -1;

    public TwopcRequest {
        PacketChecks.requireLayout(type, Layout.TWOPC_REQUEST);
        PacketChecks.requireVolumeOrConnection(volume);
        if (flags != 0 && (flags & TWOPC_HAS_FLAGS) == 0) {
            throw new IllegalArgumentException("v2 flags must include TWOPC_HAS_FLAGS");
        }
        if (flags == 0 && initiatorNodeId < 0) {
            throw new IllegalArgumentException("v1 initiator_node_id must be a node id, not " + initiatorNodeId);
        }
        if (flags != 0 && (initiatorNodeId < -128 || initiatorNodeId > 127 || targetNodeId < -128
                || targetNodeId > 127)) {
            throw new IllegalArgumentException("v2 node ids are s8");
        }
    }

    /** A state-change PREPARE (v1 or v2): mask and val from the initiator's perspective. */
    public static TwopcRequest prepare(int volume, int tid, int flags, int initiatorNodeId, int targetNodeId,
                                       long nodesToReach, DrbdState mask, DrbdState val) {
        return new TwopcRequest(PacketType.P_TWOPC_PREPARE, volume, tid, flags, initiatorNodeId, targetNodeId,
                nodesToReach, 0, maskVal(mask, val));
    }

    /** A COMMIT or ABORT of a state change carrying primary_nodes, mask and val. */
    public static TwopcRequest finish(PacketType commitOrAbort, int volume, int tid, int flags,
                                      int initiatorNodeId, int targetNodeId, long nodesToReach, long primaryNodes,
                                      DrbdState mask, DrbdState val) {
        PacketChecks.requireOneOf(commitOrAbort, PacketType.P_TWOPC_COMMIT, PacketType.P_TWOPC_ABORT);
        return new TwopcRequest(commitOrAbort, volume, tid, flags, initiatorNodeId, targetNodeId, nodesToReach,
                primaryNodes, maskVal(mask, val));
    }

    /** A resize PREPARE: user_size (sectors) and dds_flags. */
    public static TwopcRequest prepareResize(int volume, int tid, int flags, int initiatorNodeId,
                                             int targetNodeId, long nodesToReach, long userSize, int ddsFlags) {
        return new TwopcRequest(PacketType.P_TWOPC_PREP_RSZ, volume, tid, flags, initiatorNodeId, targetNodeId,
                nodesToReach, userSize, ((long) (ddsFlags & 0xFFFF)) << 48);
    }

    private static long maskVal(DrbdState mask, DrbdState val) {
        return ((long) mask.word() << 32) | (val.word() & 0xFFFFFFFFL);
    }

    /** True for the DRBD_FF_2PC_V2 layout. */
    public boolean isV2() {
        return flags != 0;
    }

    /** State change: the primary-node mask (sent as 0 in a PREPARE). */
    public long primaryNodes() {
        return typeSpecific1;
    }

    /** State change (PREPARE, or COMMIT/ABORT without TWOPC_HAS_REACHABLE): the mask word. */
    public DrbdState mask() {
        return new DrbdState((int) (typeSpecific2 >>> 32));
    }

    /** State change: the val word. */
    public DrbdState val() {
        return new DrbdState((int) typeSpecific2);
    }

    /** v2 COMMIT/ABORT with TWOPC_HAS_REACHABLE. */
    public long reachableNodes() {
        return typeSpecific2;
    }

    /** PREP_RSZ: the user size in sectors. */
    public long userSize() {
        return typeSpecific1;
    }

    /** PREP_RSZ: the resize flags (u16 at offset 28). */
    public int ddsFlags() {
        return (int) (typeSpecific2 >>> 48);
    }

    /** COMMIT of a resize. */
    public long diskfulPrimaryNodes() {
        return typeSpecific1;
    }

    /** COMMIT of a resize: the new exposed size in sectors. */
    public long exposedSize() {
        return typeSpecific2;
    }
}
