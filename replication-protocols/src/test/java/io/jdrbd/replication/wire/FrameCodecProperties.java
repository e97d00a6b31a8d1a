package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips and rejection properties of {@link FrameDecoder} and {@link PacketEncoder}. */
class FrameCodecProperties {

    @Provide
    Arbitrary<Packet> packets() {
        return PacketArbitraries.anyPacket();
    }

    @Provide
    Arbitrary<List<Packet>> streams() {
        return PacketArbitraries.anyPacket().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Packet> fixedSizePackets() {
        return PacketArbitraries.anyPacket().filter(p -> p.type().layout().minPayloadBytes() > 0
                && p.type().layout().minPayloadBytes() == p.type().layout().maxPayloadBytes());
    }

    @Property(tries = 2000)
    void everyPacketRoundTripsThroughTheEncoderAndDecoder(@ForAll("packets") Packet packet) throws Exception {
        ByteBuf encoded = WireTestSupport.ENCODER.encode(packet);
        assertThat(encoded.readableBytes()).isEqualTo(PacketEncoder.encodedBytes(packet));
        List<Packet> decoded = new ArrayList<>();
        new FrameDecoder(null).decode(encoded, decoded::add);
        try {
            assertThat(decoded).containsExactly(packet);
            assertThat(encoded.isReadable()).isFalse();
        } finally {
            WireTestSupport.release(decoded);
            encoded.release();
            WireTestSupport.release(List.of(packet));
        }
        assertThat(encoded.refCnt()).as("no slice of the input survives its release").isZero();
    }

    @Property(tries = 300)
    void aStreamDecodesTheSameWhenFedOneByteAtATime(@ForAll("streams") List<Packet> packets) throws Exception {
        byte[] bytes = WireTestSupport.encode(packets);
        FrameDecoder decoder = new FrameDecoder(null, Limits.DRBD_MAX_BIO_SIZE, WireTestSupport.unpooled());
        List<Packet> decoded = new ArrayList<>();
        List<ByteBuf> chunks = new ArrayList<>();
        for (byte b : bytes) {
            ByteBuf chunk = Unpooled.buffer(1).writeByte(b);
            chunks.add(chunk);
            int before = decoded.size();
            decoder.feed(chunk, decoded::add);
            assertThat(decoded.size() - before).isLessThanOrEqualTo(1);
        }
        try {
            assertThat(decoded).containsExactlyElementsOf(packets);
            assertThat(decoder.bufferedBytes()).isZero();
        } finally {
            WireTestSupport.release(decoded);
            WireTestSupport.release(packets);
        }
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
    }

    @Property(tries = 300)
    void aStreamDecodesTheSameForAnySplit(@ForAll("streams") List<Packet> packets,
                                          @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> cuts)
            throws Exception {
        byte[] bytes = WireTestSupport.encode(packets);
        int[] offsets = cuts.stream().mapToInt(c -> c % (bytes.length + 1)).sorted().toArray();
        List<Packet> decoded = WireTestSupport.feedSplit(bytes, offsets);
        try {
            assertThat(decoded).containsExactlyElementsOf(packets);
        } finally {
            WireTestSupport.release(decoded);
            WireTestSupport.release(packets);
        }
    }

    @Property(tries = 300)
    void decodingAPrefixConsumesEveryWholePacketAndNothingPartial(@ForAll("streams") List<Packet> packets,
                                                                  @ForAll @IntRange(min = 0, max = 100_000) int cut)
            throws Exception {
        byte[] bytes = WireTestSupport.encode(packets);
        int prefixLength = cut % (bytes.length + 1);
        List<Integer> headerEnds = new ArrayList<>();
        List<Integer> packetEnds = new ArrayList<>();
        int offset = 0;
        for (Packet packet : packets) {
            headerEnds.add(offset + PacketEncoder.headerKind(packet.type()).size());
            offset += PacketEncoder.encodedBytes(packet);
            packetEnds.add(offset);
        }
        int wholePackets = (int) packetEnds.stream().filter(end -> end <= prefixLength).count();
        int lastWholeEnd = wholePackets == 0 ? 0 : packetEnds.get(wholePackets - 1);
        boolean nextHeaderComplete = wholePackets < packets.size() && headerEnds.get(wholePackets) <= prefixLength;

        ByteBuf prefix = Unpooled.wrappedBuffer(bytes, 0, prefixLength);
        List<Packet> decoded = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(null);
        decoder.decode(prefix, decoded::add);
        try {
            assertThat(decoded).containsExactlyElementsOf(packets.subList(0, wholePackets));
            assertThat(prefix.readerIndex()).as("consumed")
                    .isEqualTo(nextHeaderComplete ? headerEnds.get(wholePackets) : lastWholeEnd);
            decoder.decode(Unpooled.wrappedBuffer(bytes, prefix.readerIndex(), bytes.length - prefix.readerIndex()),
                    decoded::add);
            assertThat(decoded).containsExactlyElementsOf(packets);
        } finally {
            WireTestSupport.release(decoded);
            WireTestSupport.release(packets);
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesFailOnlyWithProtocolExceptionAndBoundedAllocation(
            @ForAll @Size(max = 300) List<Byte> noise, @ForAll boolean startWithMagic, @ForAll int command) {
        byte[] bytes = new byte[noise.size() + (startWithMagic ? 8 : 0)];
        int offset = 0;
        if (startWithMagic) {
            // a plausible h100 prefix gets the decoder past the magic check into the type/length checks
            Unpooled.wrappedBuffer(bytes).writerIndex(0).writeInt(Header.DRBD_MAGIC_100).writeShort(0)
                    .writeShort(command & 0x5F);
            offset = 8;
        }
        for (int i = 0; i < noise.size(); i++) {
            bytes[offset + i] = noise.get(i);
        }
        assertOnlyProtocolErrors(bytes);
    }

    @Property(tries = 500)
    void aCorruptedByteYieldsPacketsOrAProtocolException(@ForAll("streams") List<Packet> packets,
                                                         @ForAll @IntRange(min = 0, max = 100_000) int position,
                                                         @ForAll byte replacement) {
        byte[] bytes = WireTestSupport.encode(packets);
        WireTestSupport.release(packets);
        bytes[position % bytes.length] ^= (byte) (replacement == 0 ? 1 : replacement);
        assertOnlyProtocolErrors(bytes);
    }

    @Property(tries = 500)
    void aTruncatedFixedSizePayloadNamesTheMissingField(@ForAll("fixedSizePackets") Packet packet,
                                                        @ForAll @IntRange(min = 1, max = 200) int cut) {
        byte[] bytes = WireTestSupport.encode(packet);
        Header.Kind kind = PacketEncoder.headerKind(packet.type());
        int payload = bytes.length - kind.size();
        int shortened = payload - 1 - (cut - 1) % payload;
        ByteBuf truncated = Unpooled.buffer();
        PacketEncoder.writeHeader(packet.type(), packet.volume(), shortened, kind, truncated);
        truncated.writeBytes(bytes, kind.size(), shortened);
        assertThatThrownBy(() -> new FrameDecoder(null).decode(truncated, p -> { }))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith(packet.type() + ": field ")
                .hasMessageContaining("truncated: need ")
                .satisfies(e -> assertThat(((ProtocolException) e).field()).isNotBlank());
        truncated.release();
    }

    /** Feeding {@code bytes} in two chunks either decodes or throws ProtocolException, nothing else. */
    private static void assertOnlyProtocolErrors(byte[] bytes) {
        WireTestSupport.MeasuringAllocator allocator = new WireTestSupport.MeasuringAllocator();
        FrameDecoder decoder = new FrameDecoder(null, Limits.DRBD_MAX_BIO_SIZE, allocator);
        List<Packet> decoded = new ArrayList<>();
        int half = bytes.length / 2;
        try {
            decoder.feed(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)), decoded::add);
            decoder.feed(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, half, bytes.length)), decoded::add);
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            decoder.close();
            WireTestSupport.release(decoded);
        }
        int largestPacket = Header.H100_SIZE + Layout.DATA_BLOCK.maxPayloadBytes();
        assertThat(allocator.largestRequest).isLessThanOrEqualTo(Math.max(bytes.length, largestPacket));
        assertThat(allocator.totalRequested).isLessThanOrEqualTo(2L * (bytes.length + largestPacket));
    }

    @Property(tries = 50)
    void typeCodesAreUniqueAndFound(@ForAll("anyType") PacketType type) {
        assertThat(PacketType.fromCode(type.code())).isSameAs(type);
    }

    @Provide
    Arbitrary<PacketType> anyType() {
        return Arbitraries.of(PacketType.values());
    }
}
