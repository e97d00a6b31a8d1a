package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error reporting, limits and buffer ownership of {@link FrameDecoder}. */
class FrameDecoderTest {

    private final List<Packet> decoded = new ArrayList<>();

    private static ByteBuf h100(PacketType type, int volume, int length) {
        ByteBuf out = Unpooled.buffer();
        PacketEncoder.writeHeader(type, volume, length, Header.Kind.H100, out);
        return out;
    }

    private static List<Packet> handshakeStream() {
        return List.of(InitialPacket.DATA, new ConnectionFeatures(118, 0x3FF, 124, 0, 1),
                new AuthChallenge(new byte[64]), new AuthResponse(new byte[32]),
                new ProtocolPacket(PacketType.P_PROTOCOL, 3, 0, 0, 0, 0, false, ""),
                new SyncParamPacket(0, 250, "", "", 20, 10, 100, 102400),
                new SizesPacket(0, 2048, 0, 2048, 1 << 20, 0, 0, new QueueLimits(512, 512, 0, 512, 0, 1, 0, 0, 0)),
                new StatePacket(0, DrbdState.of(Role.SECONDARY, Role.UNKNOWN, ConnState.CONNECTED,
                        DiskState.UP_TO_DATE, DiskState.DUNKNOWN)),
                DataPacket.write(0, 8, 42, 1, DpFlags.DP_SEND_WRITE_ACK, Unpooled.wrappedBuffer(new byte[1024])),
                new BarrierPacket(1));
    }

    @Test
    void decodesTheSameWhenSplitAtEveryPosition() throws ProtocolException {
        List<Packet> stream = handshakeStream();
        byte[] bytes = WireTestSupport.encode(stream);
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<Packet> result = WireTestSupport.feedSplit(bytes, cut);
            assertThat(result).as("split at %d", cut).containsExactlyElementsOf(stream);
            WireTestSupport.release(result);
        }
        WireTestSupport.release(stream);
    }

    @Test
    void aStepLackingBytesConsumesNothing() throws ProtocolException {
        byte[] bytes = WireTestSupport.encode(new BarrierAckPacket(3, 4));
        ByteBuf partialHeader = Unpooled.wrappedBuffer(bytes, 0, 10);
        FrameDecoder decoder = new FrameDecoder(Stream.META);
        decoder.decode(partialHeader, decoded::add);
        assertThat(partialHeader.readerIndex()).isZero();
        assertThat(decoder.state()).isEqualTo(FrameDecoder.State.READ_HEADER);

        ByteBuf partialPayload = Unpooled.wrappedBuffer(bytes, 0, 20);
        decoder.decode(partialPayload, decoded::add);
        assertThat(partialPayload.readerIndex()).isEqualTo(Header.H100_SIZE);
        assertThat(decoder.state()).isEqualTo(FrameDecoder.State.READ_PAYLOAD);
        assertThat(decoded).isEmpty();
    }

    @Test
    void truncatedSizesNamesTheField() {
        ByteBuf wire = h100(PacketType.P_SIZES, 0, 25).writeZero(25);
        assertThatThrownBy(() -> new FrameDecoder(Stream.DATA).decode(wire, decoded::add))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("P_SIZES: field max_bio_size truncated: need 4 bytes, have 1");
    }

    @Test
    void sizesBetweenTheTwoLayoutsNamesTheQueueLimitField() {
        ByteBuf wire = h100(PacketType.P_SIZES, 0, 40).writeZero(40);
        assertThatThrownBy(() -> new FrameDecoder(Stream.DATA).decode(wire, decoded::add))
                .hasMessage("P_SIZES: field alignment_offset truncated: need 4 bytes, have 0");
    }

    @Test
    void unknownCommandIsAnErrorNamingTheCode() {
        ByteBuf wire = Unpooled.buffer().writeInt(Header.DRBD_MAGIC_100).writeShort(0).writeShort(0x25)
                .writeInt(0).writeInt(0);
        assertThatThrownBy(() -> new FrameDecoder(null).decode(wire, decoded::add))
                .isInstanceOf(ProtocolException.class).hasMessage("unknown packet type 0x0025");
    }

    @Test
    void legacyPacketsAreRefused() {
        ByteBuf wire = h100(PacketType.P_WSAME, 0, 0);
        assertThatThrownBy(() -> new FrameDecoder(null).decode(wire, decoded::add))
                .hasMessage("P_WSAME: is a legacy packet DRBD 9 does not accept");
    }

    @Test
    void wrongMagicIsAnError() {
        ByteBuf wire = Unpooled.buffer().writeInt(0x12345678).writeLong(0);
        assertThatThrownBy(() -> new FrameDecoder(null).decode(wire, decoded::add))
                .hasMessage("wrong magic value 0x12345678");
    }

    @Test
    void nonZeroH100PadIsAnError() {
        ByteBuf wire = Unpooled.buffer().writeInt(Header.DRBD_MAGIC_100).writeShort(0xFFFF)
                .writeShort(PacketType.P_PING.code()).writeInt(0).writeInt(1);
        assertThatThrownBy(() -> new FrameDecoder(null).decode(wire, decoded::add))
                .hasMessage("P_PING: field pad of the h100 header is not zero: 0x00000001");
    }

    @Test
    void anOversizedLengthIsRefusedBeforeAnyPayloadArrives() {
        ByteBuf wire = h100(PacketType.P_DATA, 0, 0x7FFFFFFF);
        assertThatThrownBy(() -> new FrameDecoder(Stream.DATA).decode(wire, decoded::add))
                .hasMessage("P_DATA: field length is 2147483647, the maximum is " + (24 + Limits.DRBD_MAX_BIO_SIZE));
        ByteBuf ack = h100(PacketType.P_WRITE_ACK, 0, 25);
        assertThatThrownBy(() -> new FrameDecoder(Stream.META).decode(ack, decoded::add))
                .hasMessage("P_WRITE_ACK: field length is 25, the maximum is 24");
    }

    @Test
    void theLargestDataBlockIsAcceptedAndOneSectorMoreIsNot() throws ProtocolException {
        int max = Limits.DRBD_MAX_BIO_SIZE;
        DataPacket largest = DataPacket.write(0, 0, 1, 1, 0, Unpooled.wrappedBuffer(new byte[max]));
        ByteBuf wire = WireTestSupport.ENCODER.encode(largest);
        FrameDecoder decoder = new FrameDecoder(Stream.DATA);
        decoder.decode(wire, decoded::add);
        assertThat(((DataPacket) decoded.get(0)).size()).isEqualTo(max);
        WireTestSupport.release(decoded);
        wire.release();

        FrameDecoder smaller = new FrameDecoder(Stream.DATA, 4096, WireTestSupport.unpooled());
        ByteBuf tooLarge = h100(PacketType.P_DATA, 0, 24 + 4608);
        assertThatThrownBy(() -> smaller.decode(tooLarge, decoded::add))
                .hasMessage("P_DATA: field length is 4632, the maximum is 4120");
    }

    @Test
    void dataThatIsNotWholeSectorsIsRefused() {
        ByteBuf wire = h100(PacketType.P_DATA, 0, 24 + 100).writeZero(124);
        assertThatThrownBy(() -> new FrameDecoder(Stream.DATA).decode(wire, decoded::add))
                .hasMessage("P_DATA: field data size 100 is not a multiple of 512");
        assertThat(wire.refCnt()).isEqualTo(1);
    }

    @Test
    void aPerVolumePacketWithTheConnectionVolumeIsRefused() {
        ByteBuf wire = h100(PacketType.P_WRITE_ACK, -1, 24).writeZero(24);
        assertThatThrownBy(() -> new FrameDecoder(Stream.META).decode(wire, decoded::add))
                .hasMessageStartingWith("P_WRITE_ACK: is invalid: volume -1");
    }

    @Test
    void aPacketOnTheWrongSocketIsRefused() {
        ByteBuf wire = h100(PacketType.P_WRITE_ACK, 0, 24).writeZero(24);
        assertThatThrownBy(() -> new FrameDecoder(Stream.DATA).decode(wire, decoded::add))
                .hasMessage("P_WRITE_ACK: belongs on the META socket, received on the DATA socket");
    }

    @Test
    void theIntegrityDigestSitsBetweenHeaderAndData() throws ProtocolException {
        byte[] digest = new byte[16];
        digest[0] = 7;
        DataPacket data = new DataPacket(PacketType.P_DATA, 0, 1, 2, 3, 0, digest,
                Unpooled.wrappedBuffer(new byte[512]));
        ByteBuf wire = WireTestSupport.ENCODER.encode(data);
        FrameDecoder decoder = new FrameDecoder(Stream.DATA);
        decoder.peerDigestBytes(16);
        decoder.decode(wire, decoded::add);
        assertThat(decoded).containsExactly(data);
        WireTestSupport.release(decoded);
        wire.release();
        data.release();
    }

    @Test
    void decodedDataIsAZeroCopySliceThatKeepsTheInputAliveUntilReleased() throws ProtocolException {
        ByteBuf block = Unpooled.buffer(4096).writeZero(4096);
        DataPacket data = DataPacket.write(0, 0, 1, 1, 0, block);
        ByteBuf wire = Unpooled.buffer().writeBytes(WireTestSupport.encode(data));
        data.release();
        new FrameDecoder(Stream.DATA).decode(wire, decoded::add);
        DataPacket received = (DataPacket) decoded.get(0);
        wire.setByte(Header.H100_SIZE + 24, 0x5A);
        assertThat(received.data().getByte(received.data().readerIndex())).as("shares the input's memory")
                .isEqualTo((byte) 0x5A);
        wire.release();
        assertThat(wire.refCnt()).as("the slice holds the input").isEqualTo(1);
        received.release();
        assertThat(wire.refCnt()).isZero();
    }

    @Test
    void encodingDataSharesThePayloadAndLeavesThePacketItsReference() {
        ByteBuf block = Unpooled.buffer(4096).writeZero(4096);
        DataPacket data = DataPacket.write(3, 0, 1, 1, 0, block);
        ByteBuf wire = WireTestSupport.ENCODER.encode(data);
        assertThat(block.refCnt()).isEqualTo(2);
        assertThat(wire.readableBytes()).isEqualTo(16 + 24 + 4096);
        wire.release();
        assertThat(block.refCnt()).isEqualTo(1);
        data.release();
        assertThat(block.refCnt()).isZero();
    }

    @Test
    void aDataPrefixFollowedByTheDataIsTheWholePacket() {
        byte[] digest = {1, 2, 3, 4};
        DataPacket data = new DataPacket(PacketType.P_RS_DATA_REPLY, 2, 64, 5, 0, 0, digest,
                Unpooled.wrappedBuffer(new byte[1024]));
        ByteBuf prefix = Unpooled.buffer();
        PacketEncoder.encodeDataPrefixInto(data, prefix);
        assertThat(prefix.readableBytes()).isEqualTo(PacketEncoder.dataPrefixBytes(data)).isEqualTo(16 + 24 + 4);
        byte[] whole = WireTestSupport.encode(data);
        byte[] joined = new byte[prefix.readableBytes() + 1024];
        prefix.readBytes(joined, 0, prefix.readableBytes());
        assertThat(joined).isEqualTo(whole);
        data.release();
    }

    @Test
    void onceH100IsRequiredAnOlderHeaderIsRefused() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(Stream.DATA);
        decoder.decode(Unpooled.wrappedBuffer(WireTestSupport.encode(new ConnectionFeatures(118, 0, 122, 0, 1))),
                decoded::add);
        decoder.requireH100(true);
        ByteBuf h95 = Unpooled.buffer();
        PacketEncoder.encodeInto(EmptyPacket.UNPLUG_REMOTE, Header.Kind.H95, h95);
        assertThatThrownBy(() -> decoder.decode(h95, decoded::add))
                .hasMessage("H95 header (magic 0x835a0007) where only h100 is allowed");
        decoder.decode(Unpooled.wrappedBuffer(WireTestSupport.encode(EmptyPacket.UNPLUG_REMOTE)), decoded::add);
        assertThat(decoded).hasSize(2).last().isEqualTo(EmptyPacket.UNPLUG_REMOTE);
    }

    @Test
    void afterAnErrorTheDecoderStartsAgainAtAHeader() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(null);
        ByteBuf bad = h100(PacketType.P_SIZES, 0, 4).writeZero(4);
        assertThatThrownBy(() -> decoder.decode(bad, decoded::add)).isInstanceOf(ProtocolException.class);
        assertThat(decoder.state()).isEqualTo(FrameDecoder.State.READ_HEADER);
        decoder.decode(Unpooled.wrappedBuffer(WireTestSupport.encode(EmptyPacket.PING)), decoded::add);
        assertThat(decoded).containsExactly(EmptyPacket.PING);
    }

    @Test
    void h80AndH95HeadersDecodeAsVolumeZero() throws ProtocolException {
        BlockAck ack = new BlockAck(PacketType.P_RECV_ACK, 0, 8, 9, 4096, 1);
        for (Header.Kind kind : Header.Kind.values()) {
            ByteBuf wire = Unpooled.buffer();
            PacketEncoder.encodeInto(ack, kind, wire);
            assertThat(wire.readableBytes()).isEqualTo(kind.size() + 24);
            new FrameDecoder(Stream.META).decode(wire, decoded::add);
        }
        assertThat(decoded).containsExactly(ack, ack, ack);
    }

    @Test
    void feedingALargeBlockInSmallChunksLeavesNothingBehind() throws ProtocolException {
        DataPacket data = DataPacket.write(0, 0, 1, 1, 0, Unpooled.wrappedBuffer(new byte[256 * 1024]));
        byte[] bytes = WireTestSupport.encode(data);
        FrameDecoder decoder = new FrameDecoder(Stream.DATA, Limits.DRBD_MAX_BIO_SIZE, WireTestSupport.unpooled());
        List<ByteBuf> chunks = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += 1000) {
            ByteBuf chunk = Unpooled.buffer().writeBytes(bytes, offset, Math.min(1000, bytes.length - offset));
            chunks.add(chunk);
            decoder.feed(chunk, decoded::add);
        }
        assertThat(decoded).containsExactly(data);
        WireTestSupport.release(decoded);
        data.release();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
    }
}
