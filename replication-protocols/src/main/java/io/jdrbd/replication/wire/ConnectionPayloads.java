package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Payload layouts of the connection-level packets: features, authentication, protocol settings, sizes,
 * UUIDs, states, state-change requests, two-phase commit, sync parameters, dagtags, flush requests.
 * All numbers big-endian; field names are DRBD's.
 */
final class ConnectionPayloads {

    private static final int FEATURES_RESERVED_BYTES = 52;
    private static final int SYNC_PARAM_STRING_BYTES = 64;

    private ConnectionPayloads() {
    }

    static Packet decode(PacketType type, int volume, PayloadReader r) throws ProtocolException {
        switch (type.layout()) {
            case CONNECTION_FEATURES:
                return decodeFeatures(r);
            case AUTH_CHALLENGE:
                return new AuthChallenge(r.bytes("nonce", Limits.CHALLENGE_BYTES));
            case AUTH_RESPONSE:
                return new AuthResponse(r.rest("digest", 1, Limits.MAX_DIGEST_BYTES));
            case PROTOCOL:
                return decodeProtocol(type, r);
            case SIZES:
                return decodeSizes(volume, r);
            case UUIDS:
                return new UuidsPacket(volume, r.u64("current_uuid"), r.u64("bitmap_uuid"), r.u64("history_uuid_1"),
                        r.u64("history_uuid_2"), r.u64("dirty_bits"), r.u64("uuid_flags"));
            case UUIDS110:
                return decodeUuids110(volume, r);
            case SYNC_UUID:
                return new SyncUuidPacket(volume, r.u64("uuid"));
            case STATE:
                return new StatePacket(volume, new DrbdState(r.u32("state")));
            case STATE_CHANGE_REQUEST:
                return new StateChangeRequest(type, volume, new DrbdState(r.u32("mask")),
                        new DrbdState(r.u32("val")));
            case STATE_CHANGE_REPLY:
                return new StateChangeReply(type, volume, r.u32("retcode"));
            case TWOPC_REQUEST:
                return decodeTwopcRequest(type, volume, r);
            case TWOPC_REPLY:
                return new TwopcReply(type, volume, r.u32("tid"), r.u32("initiator_node_id"),
                        r.u64("reachable_nodes"), r.u64("primary_nodes"), r.u64("weak_nodes"));
            case SYNC_PARAM89:
                return new SyncParamPacket(volume, r.u32("resync_rate"),
                        r.fixedString("verify_alg", SYNC_PARAM_STRING_BYTES),
                        r.fixedString("csums_alg", SYNC_PARAM_STRING_BYTES), r.u32("c_plan_ahead"),
                        r.u32("c_delay_target"), r.u32("c_fill_target"), r.u32("c_max_rate"));
            case CURRENT_UUID:
                return new CurrentUuidPacket(volume, r.u64("uuid"), r.u64("weak_nodes"));
            case DAGTAG:
                return new DagtagPacket(r.u64("dagtag"));
            case PEER_DAGTAG:
                return new PeerDagtagPacket(r.u64("dagtag"), r.u32("node_id"));
            case ENABLE_REPLICATION:
                return decodeEnableReplication(type, volume, r);
            case FLUSH_REQUESTS:
                return new FlushRequestsPacket(r.u64("flush_sequence"));
            case FLUSH_NODE:
                return new FlushNodePacket(type, r.u64("flush_sequence"),
                        r.u32(type == PacketType.P_FLUSH_FORWARD ? "initiator_node_id" : "primary_node_id"));
            default:
                throw new IllegalStateException("not a connection layout: " + type);
        }
    }

    private static ConnectionFeatures decodeFeatures(PayloadReader r) throws ProtocolException {
        ConnectionFeatures features = new ConnectionFeatures(r.u32("protocol_min"), r.u32("feature_flags"),
                r.u32("protocol_max"), r.u32("sender_node_id"), r.u32("receiver_node_id"));
        r.skip("reserved", FEATURES_RESERVED_BYTES);
        return features;
    }

    private static ProtocolPacket decodeProtocol(PacketType type, PayloadReader r) throws ProtocolException {
        int protocol = r.u32("protocol");
        int afterSb0p = r.u32("after_sb_0p");
        int afterSb1p = r.u32("after_sb_1p");
        int afterSb2p = r.u32("after_sb_2p");
        int connFlags = r.u32("conn_flags");
        int twoPrimaries = r.u32("two_primaries");
        if (twoPrimaries != 0 && twoPrimaries != 1) {
            throw new ProtocolException(type, "two_primaries", "is " + twoPrimaries + ", expected 0 or 1");
        }
        String integrityAlg = r.restString("integrity_alg");
        return new ProtocolPacket(type, protocol, afterSb0p, afterSb1p, afterSb2p, connFlags, twoPrimaries == 1,
                integrityAlg);
    }

    private static SizesPacket decodeSizes(int volume, PayloadReader r) throws ProtocolException {
        long dSize = r.u64("d_size");
        long uSize = r.u64("u_size");
        long cSize = r.u64("c_size");
        int maxBioSize = r.u32("max_bio_size");
        int queueOrderType = r.u16("queue_order_type");
        int ddsFlags = r.u16("dds_flags");
        QueueLimits limits = null;
        if (r.remaining() > 0) {
            limits = new QueueLimits(r.u32("physical_block_size"), r.u32("logical_block_size"),
                    r.u32("alignment_offset"), r.u32("io_min"), r.u32("io_opt"), r.u8("discard_enabled"),
                    r.u8("discard_zeroes_data"), r.u8("write_same_capable"), r.u8("bm_block_shift_minus_12"));
        }
        return new SizesPacket(volume, dSize, uSize, cSize, maxBioSize, queueOrderType, ddsFlags, limits);
    }

    private static Uuids110Packet decodeUuids110(int volume, PayloadReader r) throws ProtocolException {
        long currentUuid = r.u64("current_uuid");
        long dirtyBits = r.u64("dirty_bits");
        long uuidFlags = r.u64("uuid_flags");
        long nodeMask = r.u64("node_mask");
        long bitmapUuidsMask = r.u64("bitmap_uuids_mask");
        if ((bitmapUuidsMask >>> Limits.MAX_PEERS) != 0) {
            throw new ProtocolException(r.type(), "bitmap_uuids_mask",
                    String.format("has bits above node 31: 0x%016x", bitmapUuidsMask));
        }
        long[] bitmapUuids = new long[Long.bitCount(bitmapUuidsMask)];
        for (int i = 0; i < bitmapUuids.length; i++) {
            bitmapUuids[i] = r.u64("bitmap_uuids");
        }
        if (r.remaining() % 8 != 0) {
            throw new ProtocolException(r.type(), "history_uuids",
                    "truncated: " + r.remaining() + " bytes is not a whole number of UUIDs");
        }
        long[] historyUuids = new long[r.remaining() / 8];
        for (int i = 0; i < historyUuids.length; i++) {
            historyUuids[i] = r.u64("history_uuids");
        }
        return new Uuids110Packet(volume, currentUuid, dirtyBits, uuidFlags, nodeMask, bitmapUuidsMask,
                bitmapUuids, historyUuids);
    }

    private static TwopcRequest decodeTwopcRequest(PacketType type, int volume, PayloadReader r)
            throws ProtocolException {
        int tid = r.u32("tid");
        int word4 = r.u32("initiator_node_id");
        int flags = 0;
        int initiator;
        int target;
        if ((word4 & TwopcRequest.TWOPC_HAS_FLAGS) != 0) {
            flags = word4;
            r.skip("_pad", 2);
            initiator = r.s8("s8_initiator_node_id");
            target = r.s8("s8_target_node_id");
        } else {
            initiator = word4;
            target = r.u32("target_node_id");
        }
        return new TwopcRequest(type, volume, tid, flags, initiator, target, r.u64("nodes_to_reach"),
                r.u64("primary_nodes"), r.u64("mask"));
    }

    private static EnableReplicationPacket decodeEnableReplication(PacketType type, int volume, PayloadReader r)
            throws ProtocolException {
        int enable = r.u8("enable");
        r.skip("_pad1", 1);
        r.skip("_pad2", 2);
        if (enable > 1) {
            throw new ProtocolException(type, "enable", "is " + enable + ", expected 0 or 1");
        }
        return new EnableReplicationPacket(type, volume, enable == 1);
    }

    /** Payload length of a connection-level packet. */
    static int payloadBytes(Packet packet) {
        switch (packet.type().layout()) {
            case PROTOCOL:
                return 24 + ((ProtocolPacket) packet).integrityAlg().length() + 1;
            case SIZES:
                return ((SizesPacket) packet).queueLimits() == null ? 32 : 56;
            case UUIDS110:
                return ((Uuids110Packet) packet).payloadBytes();
            case AUTH_RESPONSE:
                return ((AuthResponse) packet).digest().length;
            default:
                return packet.type().layout().minPayloadBytes();
        }
    }

    static void write(Packet packet, ByteBuf out) {
        switch (packet.type().layout()) {
            case CONNECTION_FEATURES: {
                ConnectionFeatures p = (ConnectionFeatures) packet;
                out.writeInt(p.protocolMin()).writeInt(p.featureFlags()).writeInt(p.protocolMax())
                        .writeInt(p.senderNodeId()).writeInt(p.receiverNodeId()).writeZero(FEATURES_RESERVED_BYTES);
                return;
            }
            case AUTH_CHALLENGE:
                out.writeBytes(((AuthChallenge) packet).nonce());
                return;
            case AUTH_RESPONSE:
                out.writeBytes(((AuthResponse) packet).digest());
                return;
            case PROTOCOL:
                writeProtocol((ProtocolPacket) packet, out);
                return;
            case SIZES:
                writeSizes((SizesPacket) packet, out);
                return;
            case UUIDS: {
                UuidsPacket p = (UuidsPacket) packet;
                out.writeLong(p.currentUuid()).writeLong(p.bitmapUuid()).writeLong(p.historyUuid1())
                        .writeLong(p.historyUuid2()).writeLong(p.dirtyBits()).writeLong(p.uuidFlags());
                return;
            }
            case UUIDS110:
                writeUuids110((Uuids110Packet) packet, out);
                return;
            default:
                writeSmall(packet, out);
        }
    }

    private static void writeSmall(Packet packet, ByteBuf out) {
        switch (packet.type().layout()) {
            case SYNC_UUID:
                out.writeLong(((SyncUuidPacket) packet).uuid());
                return;
            case STATE:
                out.writeInt(((StatePacket) packet).state().word());
                return;
            case STATE_CHANGE_REQUEST: {
                StateChangeRequest p = (StateChangeRequest) packet;
                out.writeInt(p.mask().word()).writeInt(p.val().word());
                return;
            }
            case STATE_CHANGE_REPLY:
                out.writeInt(((StateChangeReply) packet).retcode());
                return;
            case TWOPC_REQUEST:
                writeTwopcRequest((TwopcRequest) packet, out);
                return;
            case TWOPC_REPLY: {
                TwopcReply p = (TwopcReply) packet;
                out.writeInt(p.tid()).writeInt(p.initiatorNodeId()).writeLong(p.reachableNodes())
                        .writeLong(p.primaryNodes()).writeLong(p.weakNodes());
                return;
            }
            case SYNC_PARAM89:
                writeSyncParam((SyncParamPacket) packet, out);
                return;
            default:
                writeTiny(packet, out);
        }
    }

    private static void writeTiny(Packet packet, ByteBuf out) {
        switch (packet.type().layout()) {
            case CURRENT_UUID: {
                CurrentUuidPacket p = (CurrentUuidPacket) packet;
                out.writeLong(p.uuid()).writeLong(p.weakNodes());
                return;
            }
            case DAGTAG:
                out.writeLong(((DagtagPacket) packet).dagtag());
                return;
            case PEER_DAGTAG: {
                PeerDagtagPacket p = (PeerDagtagPacket) packet;
                out.writeLong(p.dagtag()).writeInt(p.nodeId());
                return;
            }
            case ENABLE_REPLICATION:
                out.writeByte(((EnableReplicationPacket) packet).enable() ? 1 : 0).writeByte(0).writeShort(0);
                return;
            case FLUSH_REQUESTS:
                out.writeLong(((FlushRequestsPacket) packet).flushSequence());
                return;
            case FLUSH_NODE: {
                FlushNodePacket p = (FlushNodePacket) packet;
                out.writeLong(p.flushSequence()).writeInt(p.nodeId());
                return;
            }
            default:
                throw new IllegalStateException("not a connection layout: " + packet.type());
        }
    }

    private static void writeProtocol(ProtocolPacket p, ByteBuf out) {
        out.writeInt(p.protocol()).writeInt(p.afterSb0p()).writeInt(p.afterSb1p()).writeInt(p.afterSb2p())
                .writeInt(p.connFlags()).writeInt(p.twoPrimaries() ? 1 : 0);
        out.writeCharSequence(p.integrityAlg(), StandardCharsets.US_ASCII);
        out.writeByte(0);
    }

    private static void writeSizes(SizesPacket p, ByteBuf out) {
        out.writeLong(p.dSize()).writeLong(p.uSize()).writeLong(p.cSize()).writeInt(p.maxBioSize())
                .writeShort(p.queueOrderType()).writeShort(p.ddsFlags());
        QueueLimits q = p.queueLimits();
        if (q != null) {
            out.writeInt(q.physicalBlockSize()).writeInt(q.logicalBlockSize()).writeInt(q.alignmentOffset())
                    .writeInt(q.ioMin()).writeInt(q.ioOpt()).writeByte(q.discardEnabled())
                    .writeByte(q.discardZeroesData()).writeByte(q.writeSameCapable())
                    .writeByte(q.bmBlockShiftMinus12());
        }
    }

    private static void writeUuids110(Uuids110Packet p, ByteBuf out) {
        out.writeLong(p.currentUuid()).writeLong(p.dirtyBits()).writeLong(p.uuidFlags()).writeLong(p.nodeMask())
                .writeLong(p.bitmapUuidsMask());
        for (long uuid : p.bitmapUuids()) {
            out.writeLong(uuid);
        }
        for (long uuid : p.historyUuids()) {
            out.writeLong(uuid);
        }
    }

    private static void writeTwopcRequest(TwopcRequest p, ByteBuf out) {
        out.writeInt(p.tid());
        if (p.isV2()) {
            out.writeInt(p.flags()).writeShort(0).writeByte(p.initiatorNodeId()).writeByte(p.targetNodeId());
        } else {
            out.writeInt(p.initiatorNodeId()).writeInt(p.targetNodeId());
        }
        out.writeLong(p.nodesToReach()).writeLong(p.typeSpecific1()).writeLong(p.typeSpecific2());
    }

    private static void writeSyncParam(SyncParamPacket p, ByteBuf out) {
        out.writeInt(p.resyncRate());
        writeFixedString(p.verifyAlg(), out);
        writeFixedString(p.csumsAlg(), out);
        out.writeInt(p.cPlanAhead()).writeInt(p.cDelayTarget()).writeInt(p.cFillTarget()).writeInt(p.cMaxRate());
    }

    private static void writeFixedString(String value, ByteBuf out) {
        int written = out.writeCharSequence(value, StandardCharsets.US_ASCII);
        out.writeZero(SYNC_PARAM_STRING_BYTES - written);
    }
}
