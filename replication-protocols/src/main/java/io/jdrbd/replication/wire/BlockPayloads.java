package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;

/**
 * Payload layouts of the block-level packets: data, trim/zeroes, acks, barriers, peer acks, read /
 * resync / verify requests and replies, out-of-sync descriptors, bitmaps. Sector, sizes and counters
 * are big-endian; {@code block_id} and {@code barrier} are opaque and kept byte-for-byte by reading
 * and writing them little-endian.
 */
final class BlockPayloads {

    /** {@code struct p_data}: sector, block_id, seq_num, dp_flags. */
    static final int P_DATA_BYTES = 24;

    private BlockPayloads() {
    }

    /**
     * P_DATA / P_DATA_REPLY / P_RS_DATA_REPLY: the data becomes a retained slice of the receive buffer.
     *
     * @param digestBytes the size of the peer's data-integrity digest (0 without one)
     * @param maxDataBytes the largest data block accepted
     */
    static DataPacket decodeData(PacketType type, int volume, PayloadReader r, int digestBytes, int maxDataBytes)
            throws ProtocolException {
        long sector = r.u64("sector");
        long blockId = r.opaque64("block_id");
        int seqNum = r.u32("seq_num");
        int dpFlags = r.u32("dp_flags");
        byte[] digest = r.bytes("digest", digestBytes);
        int dataBytes = r.remaining();
        if (dataBytes % Limits.SECTOR_BYTES != 0) {
            throw new ProtocolException(type, "data", "size " + dataBytes + " is not a multiple of 512");
        }
        if (dataBytes > maxDataBytes) {
            throw new ProtocolException(type, "data", "size " + dataBytes + " exceeds the maximum " + maxDataBytes);
        }
        if ((dpFlags & DpFlags.DP_WSAME) != 0) {
            throw new ProtocolException(type, "dp_flags", "has DP_WSAME, which DRBD 9 refuses");
        }
        ByteBuf data = r.retainedSlice("data", dataBytes);
        try {
            return new DataPacket(type, volume, sector, blockId, seqNum, dpFlags, digest, data);
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
    }

    static Packet decode(PacketType type, int volume, PayloadReader r) throws ProtocolException {
        switch (type.layout()) {
            case EMPTY:
                return type == PacketType.P_INITIAL_DATA || type == PacketType.P_INITIAL_META
                        ? new InitialPacket(type) : new EmptyPacket(type);
            case TRIM:
                return new TrimPacket(type, volume, r.u64("sector"), r.opaque64("block_id"), r.u32("seq_num"),
                        r.u32("dp_flags"), r.u32("size"));
            case BLOCK_ACK:
                return new BlockAck(type, volume, r.u64("sector"), r.opaque64("block_id"), r.u32("blksize"),
                        r.u32("seq_num"));
            case BARRIER: {
                BarrierPacket barrier = new BarrierPacket(r.opaque32("barrier"));
                r.skip("pad", 4);
                return barrier;
            }
            case BARRIER_ACK:
                return new BarrierAckPacket(r.opaque32("barrier"), r.u32("set_size"));
            case CONFIRM_STABLE: {
                ConfirmStablePacket confirm = new ConfirmStablePacket(r.opaque64("oldest_block_id"),
                        r.opaque64("youngest_block_id"), r.u32("set_size"));
                r.skip("pad", 4);
                return confirm;
            }
            case PEER_ACK:
                return new PeerAckPacket(r.u64("mask"), r.u64("dagtag"));
            default:
                return decodeResync(type, volume, r);
        }
    }

    private static Packet decodeResync(PacketType type, int volume, PayloadReader r) throws ProtocolException {
        switch (type.layout()) {
            case BLOCK_REQUEST: {
                long sector = r.u64("sector");
                long blockId = r.opaque64("block_id");
                int blksize = r.u32("blksize");
                r.skip("pad", 4);
                byte[] digest = BlockRequest.hasDigest(type)
                        ? r.rest("digest", 1, Limits.MAX_DIGEST_BYTES) : new byte[0];
                return new BlockRequest(type, volume, sector, blockId, blksize, digest);
            }
            case RS_REQUEST: {
                long sector = r.u64("sector");
                long blockId = r.opaque64("block_id");
                int blksize = r.u32("blksize");
                int dagtagNodeId = r.u32("dagtag_node_id");
                long dagtag = r.u64("dagtag");
                byte[] digest = BlockRequest.hasDigest(type)
                        ? r.rest("digest", 1, Limits.MAX_DIGEST_BYTES) : new byte[0];
                return new ResyncRequest(type, volume, sector, blockId, blksize, dagtagNodeId, dagtag, digest);
            }
            case BLOCK_DESC: {
                BlockDescPacket desc = new BlockDescPacket(type, volume, r.u64("sector"), r.u32("blksize"));
                r.skip("pad", 4);
                return desc;
            }
            case PEERS_IN_SYNC: {
                PeersInSyncPacket peers = new PeersInSyncPacket(volume, r.u64("sector"), r.u64("mask"),
                        r.u32("size"));
                r.skip("pad", 4);
                return peers;
            }
            case OV_RESULT: {
                OvResultPacket result = new OvResultPacket(volume, r.u64("sector"), r.opaque64("block_id"),
                        r.u32("blksize"), r.u32("seq_num"), r.u32("result"));
                r.skip("pad", 4);
                return result;
            }
            default:
                return decodeOther(type, volume, r);
        }
    }

    private static Packet decodeOther(PacketType type, int volume, PayloadReader r) throws ProtocolException {
        switch (type.layout()) {
            case BITMAP: {
                if (r.remaining() % 8 != 0) {
                    throw new ProtocolException(type, "words",
                            "truncated: " + r.remaining() + " bytes is not a whole number of 64-bit words");
                }
                long[] words = new long[r.remaining() / 8];
                for (int i = 0; i < words.length; i++) {
                    words[i] = r.opaque64("words");
                }
                return new BitmapPacket(volume, words);
            }
            case COMPRESSED_BITMAP: {
                int encoding = r.u8("encoding");
                if ((encoding & 0x0F) != CompressedBitmapPacket.RLE_VLI_BITS) {
                    throw new ProtocolException(type, "encoding", "is " + (encoding & 0x0F) + ", expected 2");
                }
                return new CompressedBitmapPacket(volume, encoding, r.rest("code", 1, Integer.MAX_VALUE));
            }
            case DELAY_PROBE:
                return new DelayProbePacket(volume, r.u32("seq_num"), r.u32("offset"));
            default:
                throw new IllegalStateException("not a block layout: " + type);
        }
    }

    /** Payload length of a block-level packet, including the data of a {@link DataPacket}. */
    static int payloadBytes(Packet packet) {
        switch (packet.type().layout()) {
            case DATA_BLOCK: {
                DataPacket p = (DataPacket) packet;
                return P_DATA_BYTES + p.digestBytes() + p.size();
            }
            case BLOCK_REQUEST:
                return 24 + ((BlockRequest) packet).digest().length;
            case RS_REQUEST:
                return 32 + ((ResyncRequest) packet).digest().length;
            case BITMAP:
                return 8 * ((BitmapPacket) packet).wordCount();
            case COMPRESSED_BITMAP:
                return 1 + ((CompressedBitmapPacket) packet).code().length;
            default:
                return packet.type().layout().minPayloadBytes();
        }
    }

    /** Writes {@code p_data} and the digest, but not the data. */
    static void writeDataHeader(DataPacket p, ByteBuf out) {
        out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.seqNum()).writeInt(p.dpFlags());
        if (p.digestBytes() > 0) {
            out.writeBytes(p.digest());
        }
    }

    static void write(Packet packet, ByteBuf out) {
        switch (packet.type().layout()) {
            case EMPTY:
                return;
            case DATA_BLOCK: {
                DataPacket p = (DataPacket) packet;
                writeDataHeader(p, out);
                out.writeBytes(p.data(), p.data().readerIndex(), p.size());
                return;
            }
            case TRIM: {
                TrimPacket p = (TrimPacket) packet;
                out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.seqNum()).writeInt(p.dpFlags())
                        .writeInt(p.size());
                return;
            }
            case BLOCK_ACK: {
                BlockAck p = (BlockAck) packet;
                out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.blksize()).writeInt(p.seqNum());
                return;
            }
            case BARRIER:
                out.writeIntLE(((BarrierPacket) packet).barrier()).writeInt(0);
                return;
            case BARRIER_ACK: {
                BarrierAckPacket p = (BarrierAckPacket) packet;
                out.writeIntLE(p.barrier()).writeInt(p.setSize());
                return;
            }
            case CONFIRM_STABLE: {
                ConfirmStablePacket p = (ConfirmStablePacket) packet;
                out.writeLongLE(p.oldestBlockId()).writeLongLE(p.youngestBlockId()).writeInt(p.setSize())
                        .writeInt(0);
                return;
            }
            case PEER_ACK: {
                PeerAckPacket p = (PeerAckPacket) packet;
                out.writeLong(p.mask()).writeLong(p.dagtag());
                return;
            }
            default:
                writeResync(packet, out);
        }
    }

    private static void writeResync(Packet packet, ByteBuf out) {
        switch (packet.type().layout()) {
            case BLOCK_REQUEST: {
                BlockRequest p = (BlockRequest) packet;
                out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.blksize()).writeInt(0)
                        .writeBytes(p.digest());
                return;
            }
            case RS_REQUEST: {
                ResyncRequest p = (ResyncRequest) packet;
                out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.blksize()).writeInt(p.dagtagNodeId())
                        .writeLong(p.dagtag()).writeBytes(p.digest());
                return;
            }
            case BLOCK_DESC: {
                BlockDescPacket p = (BlockDescPacket) packet;
                out.writeLong(p.sector()).writeInt(p.blksize()).writeInt(0);
                return;
            }
            case PEERS_IN_SYNC: {
                PeersInSyncPacket p = (PeersInSyncPacket) packet;
                out.writeLong(p.sector()).writeLong(p.mask()).writeInt(p.size()).writeInt(0);
                return;
            }
            case OV_RESULT: {
                OvResultPacket p = (OvResultPacket) packet;
                out.writeLong(p.sector()).writeLongLE(p.blockId()).writeInt(p.blksize()).writeInt(p.seqNum())
                        .writeInt(p.result()).writeInt(0);
                return;
            }
            case BITMAP: {
                BitmapPacket p = (BitmapPacket) packet;
                for (int i = 0; i < p.wordCount(); i++) {
                    out.writeLongLE(p.word(i));
                }
                return;
            }
            case COMPRESSED_BITMAP: {
                CompressedBitmapPacket p = (CompressedBitmapPacket) packet;
                out.writeByte(p.encoding()).writeBytes(p.code());
                return;
            }
            case DELAY_PROBE: {
                DelayProbePacket p = (DelayProbePacket) packet;
                out.writeInt(p.seqNum()).writeInt(p.offset());
                return;
            }
            default:
                throw new IllegalStateException("not a block layout: " + packet.type());
        }
    }
}
