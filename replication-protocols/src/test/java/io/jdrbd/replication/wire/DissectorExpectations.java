package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.wire.PdmlDocument.DrbdPdu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Wireshark's DRBD dissector (4.0) must show for each of our packets, in its own formats (wire
 * reference §8.2/§8.3): hex for command, length, flags, state and UUIDs, decimal for counts and
 * positions, opaque block ids and barriers as little-endian numbers.
 */
final class DissectorExpectations {

    private DissectorExpectations() {
    }

    static void assertFields(Packet packet, DrbdPdu pdu) {
        String what = packet.type() + " in frame " + pdu.frame();
        Map<String, Object> expected = expectedFields(packet);
        for (Map.Entry<String, Object> entry : expected.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof List<?> list) {
                assertThat(pdu.fields().get(entry.getKey())).as(what + " " + entry.getKey()).isEqualTo(list);
            } else {
                assertThat(pdu.first(entry.getKey())).as(what + " " + entry.getKey()).isEqualTo(value);
            }
        }
    }

    private static String hex32(int value) {
        return String.format("0x%08x", value);
    }

    private static String hex64(long value) {
        return String.format("0x%016x", value);
    }

    private static String u32(int value) {
        return Integer.toUnsignedString(value);
    }

    private static String u64(long value) {
        return Long.toUnsignedString(value);
    }

    private static String colonHex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }

    static Map<String, Object> expectedFields(Packet packet) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("drbd.command", String.format("0x%04x", packet.type().code()));
        fields.put("drbd.length", hex32(PacketEncoder.payloadBytes(packet)));
        fields.put("drbd.volume", packet.type().alwaysH80() ? null : Integer.toString(packet.volume()));
        switch (packet.type().layout()) {
            case CONNECTION_FEATURES: {
                ConnectionFeatures p = (ConnectionFeatures) packet;
                fields.put("drbd.protocol_min", u32(p.protocolMin()));
                fields.put("drbd.feature_flags", hex32(p.featureFlags()));
                fields.put("drbd.protocol_max", u32(p.protocolMax()));
                fields.put("drbd.sender_node_id", Integer.toString(p.senderNodeId()));
                fields.put("drbd.receiver_node_id", Integer.toString(p.receiverNodeId()));
                break;
            }
            case AUTH_CHALLENGE:
                fields.put("drbd.auth_nonce", colonHex(((AuthChallenge) packet).nonce()));
                break;
            case AUTH_RESPONSE:
                fields.put("drbd.auth_hash", colonHex(((AuthResponse) packet).digest()));
                break;
            case PROTOCOL: {
                ProtocolPacket p = (ProtocolPacket) packet;
                fields.put("drbd.protocol", hex32(p.protocol()));
                fields.put("drbd.after_sb_0p", hex32(p.afterSb0p()));
                fields.put("drbd.after_sb_1p", hex32(p.afterSb1p()));
                fields.put("drbd.after_sb_2p", hex32(p.afterSb2p()));
                fields.put("drbd.conn_flags", hex32(p.connFlags()));
                fields.put("drbd.two_primaries", p.twoPrimaries() ? "1" : "0");
                fields.put("drbd.integrity_alg", p.integrityAlg());
                break;
            }
            case TWOPC_REQUEST:
                twopcRequest((TwopcRequest) packet, fields);
                break;
            case TWOPC_REPLY: {
                TwopcReply p = (TwopcReply) packet;
                fields.put("drbd.tid", u32(p.tid()));
                fields.put("drbd.initiator_node_id", Integer.toString(p.initiatorNodeId()));
                fields.put("drbd.reachable_nodes", u64(p.reachableNodes()));
                break;
            }
            case SYNC_PARAM89: {
                SyncParamPacket p = (SyncParamPacket) packet;
                fields.put("drbd.resync_rate", u32(p.resyncRate()));
                fields.put("drbd.verify_alg", p.verifyAlg());
                fields.put("drbd.csums_alg", p.csumsAlg());
                fields.put("drbd.c_plan_ahead", u32(p.cPlanAhead()));
                fields.put("drbd.c_delay_target", u32(p.cDelayTarget()));
                fields.put("drbd.c_fill_target", u32(p.cFillTarget()));
                fields.put("drbd.c_max_rate", u32(p.cMaxRate()));
                break;
            }
            case SIZES:
                sizes((SizesPacket) packet, fields);
                break;
            case UUIDS110:
                uuids110((Uuids110Packet) packet, fields);
                break;
            default:
                blockFields(packet, fields);
        }
        return fields;
    }

    private static void twopcRequest(TwopcRequest p, Map<String, Object> fields) {
        fields.put("drbd.tid", u32(p.tid()));
        fields.put("drbd.initiator_node_id", Integer.toString(p.initiatorNodeId()));
        fields.put("drbd.target_node_id", Integer.toString(p.targetNodeId()));
        fields.put("drbd.nodes_to_reach", u64(p.nodesToReach()));
        fields.put("drbd.state", hex32(p.val().word()));
        if (p.type() == PacketType.P_TWOPC_COMMIT) {
            fields.put("drbd.primary_nodes", u64(p.primaryNodes()));
        }
    }

    private static void sizes(SizesPacket p, Map<String, Object> fields) {
        fields.put("drbd.d_size", u64(p.dSize()));
        fields.put("drbd.u_size", u64(p.uSize()));
        fields.put("drbd.c_size", u64(p.cSize()));
        fields.put("drbd.max_bio_size", u32(p.maxBioSize()));
        fields.put("drbd.dds_flags", String.format("0x%04x", p.ddsFlags()));
        QueueLimits q = p.queueLimits();
        fields.put("drbd.physical_block_size", u32(q.physicalBlockSize()));
        fields.put("drbd.logical_block_size", u32(q.logicalBlockSize()));
        fields.put("drbd.alignment_offset", u32(q.alignmentOffset()));
        fields.put("drbd.io_min", u32(q.ioMin()));
        fields.put("drbd.io_opt", u32(q.ioOpt()));
        fields.put("drbd.discard_enabled", Integer.toString(q.discardEnabled()));
    }

    private static void uuids110(Uuids110Packet p, Map<String, Object> fields) {
        fields.put("drbd.current_uuid", hex64(p.currentUuid()));
        fields.put("drbd.dirty_bits", u64(p.dirtyBits()));
        fields.put("drbd.uuid_flags", hex64(p.uuidFlags()));
        fields.put("drbd.node_mask", u64(p.nodeMask()));
        fields.put("drbd.bitmap_uuids_mask", u64(p.bitmapUuidsMask()));
        List<String> bitmap = new ArrayList<>();
        for (long uuid : p.bitmapUuids()) {
            bitmap.add(hex64(uuid));
        }
        fields.put("drbd.bitmap_uuid", bitmap);
        List<String> history = new ArrayList<>();
        for (long uuid : p.historyUuids()) {
            history.add(hex64(uuid));
        }
        fields.put("drbd.history_uuid", history);
    }

    private static void blockFields(Packet packet, Map<String, Object> fields) {
        switch (packet.type().layout()) {
            case STATE: {
                DrbdState state = ((StatePacket) packet).state();
                fields.put("drbd.state", hex32(state.word()));
                for (StateField field : StateField.values()) {
                    fields.put("drbd.state." + field.name().toLowerCase(java.util.Locale.ROOT),
                            Integer.toString(state.get(field)));
                }
                break;
            }
            case DATA_BLOCK: {
                DataPacket p = (DataPacket) packet;
                blockWrite(p.sector(), p.blockId(), p.seqNum(), p.dpFlags(), p.size(), fields);
                break;
            }
            case TRIM: {
                TrimPacket p = (TrimPacket) packet;
                blockWrite(p.sector(), p.blockId(), p.seqNum(), p.dpFlags(), p.size(), fields);
                break;
            }
            case BLOCK_ACK: {
                BlockAck p = (BlockAck) packet;
                fields.put("drbd.sector", u64(p.sector()));
                fields.put("drbd.block_id", hex64(p.blockId()));
                fields.put("drbd.size", u32(p.blksize()));
                fields.put("drbd.seq_num", u32(p.seqNum()));
                break;
            }
            case BARRIER:
                fields.put("drbd.barrier", u32(((BarrierPacket) packet).barrier()));
                break;
            case BARRIER_ACK: {
                BarrierAckPacket p = (BarrierAckPacket) packet;
                fields.put("drbd.barrier", u32(p.barrier()));
                fields.put("drbd.set_size", u32(p.setSize()));
                break;
            }
            case PEER_ACK: {
                PeerAckPacket p = (PeerAckPacket) packet;
                fields.put("drbd.node_mask", u64(p.mask()));
                fields.put("drbd.dagtag", u64(p.dagtag()));
                break;
            }
            case DAGTAG:
                fields.put("drbd.dagtag", u64(((DagtagPacket) packet).dagtag()));
                break;
            case EMPTY:
                break;
            default:
                throw new AssertionError("no dissector expectations for " + packet.type());
        }
    }

    private static void blockWrite(long sector, long blockId, int seqNum, int dpFlags, int size,
                                   Map<String, Object> fields) {
        fields.put("drbd.sector", u64(sector));
        fields.put("drbd.block_id", hex64(blockId));
        fields.put("drbd.seq_num", u32(seqNum));
        fields.put("drbd.dp_flags", hex32(dpFlags));
        fields.put("drbd.size", u32(size));
    }
}
