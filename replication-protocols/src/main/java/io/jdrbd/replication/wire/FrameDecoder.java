package io.jdrbd.replication.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Decodes one TCP stream of DRBD packets (h80, h95 or h100 headers) into {@link Packet} records.
 *
 * <p>An explicit state machine: {@link State#READ_HEADER} waits for a whole header, validates magic,
 * command, stream, padding and the payload length against the packet type's maximum (before anything
 * is read or allocated); {@link State#READ_PAYLOAD} waits for the whole payload and decodes it. A step
 * that lacks bytes consumes nothing. Data payloads are retained slices of the input (no copy): see
 * {@link PayloadHolder} for who releases them. Any violation throws {@link ProtocolException} naming
 * the packet and field and resets the decoder; the connection should then be dropped, as DRBD does.
 *
 * <p>Two ways to feed it: {@link #decode} works on a caller-owned cumulation buffer (Netty's
 * {@code ByteToMessageDecoder} in {@code node}); {@link #feed} takes arbitrary chunks and keeps the
 * unfinished remainder itself (the simulator, tests). Not thread-safe: one decoder per stream.
 */
public final class FrameDecoder {

    /** Decoder states. */
    public enum State {
        READ_HEADER, READ_PAYLOAD
    }

    private final ByteBufAllocator allocator;
    private final PayloadReader reader = new PayloadReader();
    private final int maxDataBytes;

    private State state = State.READ_HEADER;
    private Stream expectedStream;
    private boolean requireH100;
    private int peerDigestBytes;
    private PacketType pendingType;
    private int pendingVolume;
    private int pendingLength;
    private ByteBuf cumulation;

    /**
     * @param expectedStream the socket this decoder reads, or {@code null} while unknown (an accepted
     *     socket before its first packet); packets of the other socket are then a protocol error
     * @param maxDataBytes the largest data block of a P_DATA-family packet, at most DRBD_MAX_BIO_SIZE
     * @param allocator for {@link #feed}'s cumulation buffer
     */
    public FrameDecoder(Stream expectedStream, int maxDataBytes, ByteBufAllocator allocator) {
        if (maxDataBytes < 0 || maxDataBytes > Limits.DRBD_MAX_BIO_SIZE) {
            throw new IllegalArgumentException("maxDataBytes " + maxDataBytes + " outside 0.."
                    + Limits.DRBD_MAX_BIO_SIZE);
        }
        this.expectedStream = expectedStream;
        this.maxDataBytes = maxDataBytes;
        this.allocator = allocator;
    }

    /** A decoder for {@code stream} accepting data blocks up to DRBD_MAX_BIO_SIZE (1 MiB). */
    public FrameDecoder(Stream stream) {
        this(stream, Limits.DRBD_MAX_BIO_SIZE, ByteBufAllocator.DEFAULT);
    }

    public State state() {
        return state;
    }

    /** Sets the socket once known (after P_INITIAL_DATA / P_INITIAL_META), or {@code null} for any. */
    public void expectStream(Stream stream) {
        this.expectedStream = stream;
    }

    /**
     * After the features exchange agreed a protocol ≥ 100, DRBD accepts only h100 headers on the data
     * socket (it reads a fixed 16-byte header there); the meta socket accepts every format at any time.
     */
    public void requireH100(boolean required) {
        this.requireH100 = required;
    }

    /**
     * The digest size of the peer's data-integrity-alg (from its P_PROTOCOL), which sits between
     * {@code p_data} and the data in P_DATA-family packets. 0 without integrity checking.
     */
    public void peerDigestBytes(int digestBytes) {
        if (digestBytes < 0 || digestBytes > Limits.MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("digest size " + digestBytes);
        }
        this.peerDigestBytes = digestBytes;
    }

    /**
     * Decodes every complete packet readable in {@code in}, advancing its reader index past them and
     * leaving an incomplete tail unread. Does not take ownership of {@code in}.
     */
    public void decode(ByteBuf in, Consumer<? super Packet> out) throws ProtocolException {
        try {
            while (true) {
                if (state == State.READ_HEADER) {
                    if (!readHeader(in)) {
                        return;
                    }
                }
                if (in.readableBytes() < pendingLength) {
                    return;
                }
                Packet packet = readPayload(in);
                out.accept(packet);
            }
        } catch (ProtocolException e) {
            state = State.READ_HEADER;
            throw e;
        }
    }

    /**
     * Takes ownership of {@code chunk} (any split of the stream, including empty), decodes what is
     * complete and keeps the rest until the next call.
     */
    public void feed(ByteBuf chunk, Consumer<? super Packet> out) throws ProtocolException {
        append(chunk);
        try {
            decode(cumulation, out);
        } catch (ProtocolException e) {
            close();
            throw e;
        }
        if (!cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** Bytes received by {@link #feed} and not yet decoded. */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Drops buffered bytes (connection closed). Decoded packets stay valid. */
    public void close() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        state = State.READ_HEADER;
    }

    private void append(ByteBuf chunk) {
        if (cumulation == null) {
            cumulation = chunk;
            return;
        }
        int needed = cumulation.readableBytes() + chunk.readableBytes();
        boolean exclusive = cumulation.refCnt() == 1 && !cumulation.isReadOnly();
        if (exclusive && cumulation.readerIndex() > 0) {
            cumulation.discardSomeReadBytes();
        }
        if (exclusive && cumulation.maxWritableBytes() >= chunk.readableBytes()
                && cumulation.writerIndex() + chunk.readableBytes() <= cumulation.maxCapacity()) {
            cumulation.writeBytes(chunk);
            chunk.release();
            return;
        }
        /*
         * Slices of the cumulation are held by decoded data packets (or it cannot grow): copy only the
         * undecoded tail. Size it for the packet in progress so a large payload arriving in many chunks
         * is copied once, not once per chunk; pendingLength was bounded when its header was read.
         */
        int target = Math.max(needed, state == State.READ_PAYLOAD ? pendingLength : 0);
        ByteBuf merged = allocator.buffer(target);
        merged.writeBytes(cumulation).writeBytes(chunk);
        cumulation.release();
        chunk.release();
        cumulation = merged;
    }

    private boolean readHeader(ByteBuf in) throws ProtocolException {
        if (in.readableBytes() < Header.MAGIC_PROBE_SIZE) {
            return false;
        }
        int start = in.readerIndex();
        int magic32 = in.getInt(start);
        Header.Kind kind;
        if (magic32 == Header.DRBD_MAGIC_100) {
            kind = Header.Kind.H100;
        } else if (in.getUnsignedShort(start) == Header.DRBD_MAGIC_BIG) {
            kind = Header.Kind.H95;
        } else if (magic32 == Header.DRBD_MAGIC) {
            kind = Header.Kind.H80;
        } else {
            throw new ProtocolException(String.format("wrong magic value 0x%08x", magic32));
        }
        if (requireH100 && kind != Header.Kind.H100) {
            throw new ProtocolException(String.format("%s header (magic 0x%08x) where only h100 is allowed", kind,
                    magic32));
        }
        if (in.readableBytes() < kind.size()) {
            return false;
        }
        int command;
        long length;
        // h80/h95 carry no volume: the 8.4 dialect has exactly volume 0. A per-volume packet with the
        // connection volume 0xFFFF is refused by its record; connection-scope records ignore it.
        int volume = 0;
        switch (kind) {
            case H100:
                int rawVolume = in.getUnsignedShort(start + Header.H100_VOLUME_OFFSET);
                volume = rawVolume == 0xFFFF ? Header.CONNECTION_VOLUME : rawVolume;
                command = in.getUnsignedShort(start + Header.H100_COMMAND_OFFSET);
                length = in.getUnsignedInt(start + Header.H100_LENGTH_OFFSET);
                int pad = in.getInt(start + Header.H100_PAD_OFFSET);
                if (pad != 0) {
                    throw new ProtocolException(PacketType.fromCode(command), "pad",
                            String.format("of the h100 header is not zero: 0x%08x", pad));
                }
                break;
            case H95:
                command = in.getUnsignedShort(start + Header.H95_COMMAND_OFFSET);
                length = in.getUnsignedInt(start + Header.H95_LENGTH_OFFSET);
                break;
            default:
                command = in.getUnsignedShort(start + Header.H80_COMMAND_OFFSET);
                length = in.getUnsignedShort(start + Header.H80_LENGTH_OFFSET);
                break;
        }
        PacketType type = checkedType(command, length);
        in.skipBytes(kind.size());
        pendingType = type;
        pendingVolume = volume;
        pendingLength = (int) length;
        state = State.READ_PAYLOAD;
        return true;
    }

    private PacketType checkedType(int command, long length) throws ProtocolException {
        PacketType type = PacketType.fromCode(command);
        if (type == null) {
            throw new ProtocolException(String.format("unknown packet type 0x%04x", command));
        }
        if (type.layout() == Layout.UNSUPPORTED) {
            throw new ProtocolException(type, null, "is a legacy packet DRBD 9 does not accept");
        }
        boolean initial = type == PacketType.P_INITIAL_DATA || type == PacketType.P_INITIAL_META;
        if (expectedStream != null && !initial && type.stream() != Stream.EITHER && type.stream() != expectedStream) {
            throw new ProtocolException(type, null, "belongs on the " + type.stream() + " socket, received on the "
                    + expectedStream + " socket");
        }
        long max = type.layout() == Layout.DATA_BLOCK
                ? BlockPayloads.P_DATA_BYTES + peerDigestBytes + maxDataBytes : type.layout().maxPayloadBytes();
        if (length > max) {
            throw new ProtocolException(type, "length", "is " + length + ", the maximum is " + max);
        }
        return type;
    }

    private Packet readPayload(ByteBuf in) throws ProtocolException {
        PacketType type = pendingType;
        int start = in.readerIndex();
        reader.reset(in, start, pendingLength, type);
        Packet packet;
        try {
            packet = decodePayload(type, pendingVolume);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(type, null, "is invalid: " + e.getMessage());
        }
        try {
            reader.expectEnd();
        } catch (ProtocolException e) {
            if (packet instanceof PayloadHolder holder) {
                holder.release();
            }
            throw e;
        }
        in.skipBytes(pendingLength);
        state = State.READ_HEADER;
        return packet;
    }

    private Packet decodePayload(PacketType type, int volume) throws ProtocolException {
        if (type.layout() == Layout.DATA_BLOCK) {
            return BlockPayloads.decodeData(type, volume, reader, peerDigestBytes, maxDataBytes);
        }
        if (PacketEncoder.isBlockLayout(type.layout())) {
            return BlockPayloads.decode(type, volume, reader);
        }
        return ConnectionPayloads.decode(type, volume, reader);
    }
}
