package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Encodes packets as DRBD 9 sends them: h100 headers, except h80 for P_INITIAL_DATA/META and
 * P_CONNECTION_FEATURES (exchanged before a protocol version is agreed). Buffers are sized exactly;
 * the layout is chosen by the packet type. A {@link DataPacket} becomes a composite of a small header
 * buffer and a retained duplicate of its data (no copy); the packet keeps its own reference.
 */
public final class PacketEncoder {

    private final ByteBufAllocator allocator;

    public PacketEncoder(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** The header format DRBD 9 uses for {@code type}. */
    public static Header.Kind headerKind(PacketType type) {
        return type.alwaysH80() ? Header.Kind.H80 : Header.Kind.H100;
    }

    /** Payload length of {@code packet} on the wire (including a data packet's digest and data). */
    public static int payloadBytes(Packet packet) {
        return isBlockLayout(packet.type().layout()) ? BlockPayloads.payloadBytes(packet)
                : ConnectionPayloads.payloadBytes(packet);
    }

    /** Header + payload length of {@code packet} with DRBD 9's header choice. */
    public static int encodedBytes(Packet packet) {
        return headerKind(packet.type()).size() + payloadBytes(packet);
    }

    /**
     * A new buffer holding {@code packet}; the caller owns it (a write to a socket releases it). For a
     * {@link DataPacket} the data is shared, not copied.
     */
    public ByteBuf encode(Packet packet) {
        Header.Kind kind = headerKind(packet.type());
        if (packet instanceof DataPacket data) {
            int prefixBytes = dataPrefixBytes(data);
            ByteBuf prefix = allocator.buffer(prefixBytes, prefixBytes);
            encodeDataPrefixInto(data, prefix);
            CompositeByteBuf composite = allocator.compositeBuffer(2);
            composite.addComponent(true, prefix);
            composite.addComponent(true, data.data().retainedDuplicate());
            return composite;
        }
        int bytes = kind.size() + payloadBytes(packet);
        ByteBuf out = allocator.buffer(bytes, bytes);
        writePacket(packet, kind, out);
        return out;
    }

    /**
     * Writes only the h100 header, {@code p_data} and digest of a data packet ({@link #dataPrefixBytes}
     * bytes) into {@code out}: a transport can then write this prefix and a retained duplicate of
     * {@code data.data()} as two buffers (gathering write) without building a composite.
     */
    public static void encodeDataPrefixInto(DataPacket data, ByteBuf out) {
        writeHeader(data.type(), data.volume(), payloadBytes(data), Header.Kind.H100, out);
        BlockPayloads.writeDataHeader(data, out);
    }

    /** Length of what {@link #encodeDataPrefixInto} writes. */
    public static int dataPrefixBytes(DataPacket data) {
        return Header.H100_SIZE + BlockPayloads.P_DATA_BYTES + data.digestBytes();
    }

    /**
     * Writes {@code packet} with DRBD 9's header choice into {@code out} (which must have room for
     * {@link #encodedBytes}); data bytes are copied. The allocation-free path for small packets.
     */
    public static void encodeInto(Packet packet, ByteBuf out) {
        writePacket(packet, headerKind(packet.type()), out);
    }

    /**
     * Writes {@code packet} with an explicit header format, as the DRBD 8.4 dialect would (h80 needs a
     * payload below 64 KiB; h80/h95 cannot carry a volume other than 0 or the connection).
     */
    public static void encodeInto(Packet packet, Header.Kind kind, ByteBuf out) {
        writePacket(packet, kind, out);
    }

    private static void writePacket(Packet packet, Header.Kind kind, ByteBuf out) {
        int payload = payloadBytes(packet);
        writeHeader(packet.type(), packet.volume(), payload, kind, out);
        int before = out.writerIndex();
        if (isBlockLayout(packet.type().layout())) {
            BlockPayloads.write(packet, out);
        } else {
            ConnectionPayloads.write(packet, out);
        }
        assert out.writerIndex() - before == payload : packet.type() + " wrote " + (out.writerIndex() - before)
                + " bytes, expected " + payload;
    }

    /** Writes a header announcing {@code payloadBytes} bytes of {@code type} for {@code volume}. */
    public static void writeHeader(PacketType type, int volume, int payloadBytes, Header.Kind kind, ByteBuf out) {
        switch (kind) {
            case H100:
                out.writeInt(Header.DRBD_MAGIC_100).writeShort(volume & 0xFFFF).writeShort(type.code())
                        .writeInt(payloadBytes).writeInt(0);
                return;
            case H95:
                requireNoVolume(type, volume);
                out.writeShort(Header.DRBD_MAGIC_BIG).writeShort(type.code()).writeInt(payloadBytes);
                return;
            default:
                requireNoVolume(type, volume);
                if (payloadBytes > Header.H80_MAX_LENGTH) {
                    throw new IllegalArgumentException(type + " payload " + payloadBytes + " does not fit h80");
                }
                out.writeInt(Header.DRBD_MAGIC).writeShort(type.code()).writeShort(payloadBytes);
        }
    }

    private static void requireNoVolume(PacketType type, int volume) {
        if (volume > 0) {
            throw new IllegalArgumentException(type + " for volume " + volume + " needs an h100 header");
        }
    }

    static boolean isBlockLayout(Layout layout) {
        switch (layout) {
            case DATA_BLOCK:
            case EMPTY:
            case TRIM:
            case BLOCK_ACK:
            case BARRIER:
            case BARRIER_ACK:
            case CONFIRM_STABLE:
            case PEER_ACK:
            case BLOCK_REQUEST:
            case RS_REQUEST:
            case BLOCK_DESC:
            case PEERS_IN_SYNC:
            case OV_RESULT:
            case BITMAP:
            case COMPRESSED_BITMAP:
            case DELAY_PROBE:
                return true;
            default:
                return false;
        }
    }
}
