package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.nbd.ClientWire.OptionReply;
import io.jdrbd.nbd.ClientWire.Reply;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the decoders and of the whole server pipeline: encoded requests and options decode
 * to what was encoded however the bytes are split; random and mutated client byte streams never
 * crash the server, never make it allocate beyond the cap, and only ever get well-formed replies.
 */
class NbdDecoderProperties {
    private static final int DEVICE_SIZE = 1 << 20;
    /** Largest legitimate allocation for these streams: one read of the whole device plus headers. */
    private static final int ALLOCATION_CAP = DEVICE_SIZE + 64 * 1024;

    record RequestFields(int flags, int type, long cookie, long offset, long length, byte[] payload) {
    }

    @Provide
    Arbitrary<List<RequestFields>> requests() {
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> types = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Long> longs = Arbitraries.longs();
        Arbitrary<Long> lengths = Arbitraries.longs().between(0, 0xffff_ffffL);
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        return Combinators.combine(flags, types, longs, longs, lengths, payloads).as((f, t, cookie, offset, length, p) ->
                t == NbdProtocol.CMD_WRITE ? new RequestFields(f, t, cookie, offset, p.length, p)
                        : new RequestFields(f, t, cookie, offset, length, null)).list().ofMaxSize(12);
    }

    @Property(tries = 150)
    void requestsRoundTripAtAnySplit(@ForAll("requests") List<RequestFields> requests,
                                     @ForAll @IntRange(min = 1, max = 64) int pieceBytes) {
        ByteBuf encoded = Unpooled.buffer();
        for (RequestFields r : requests) {
            encoded.writeBytes(ClientWire.request(r.flags(), r.type(), r.cookie(), r.offset(), r.length(), r.payload()));
        }
        byte[] bytes = ClientWire.bytes(encoded);
        RequestDecoder decoder = new RequestDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        List<Object> decoded = DecoderHarness.feed(channel, bytes, cuts(bytes.length, pieceBytes));
        assertThat(decoded).hasSameSizeAs(requests);
        for (int i = 0; i < requests.size(); i++) {
            RequestFields expected = requests.get(i);
            NbdRequest actual = (NbdRequest) decoded.get(i);
            assertThat(actual.flags()).isEqualTo(expected.flags());
            assertThat(actual.type()).isEqualTo(expected.type());
            assertThat(actual.cookie()).isEqualTo(expected.cookie());
            assertThat(actual.offset()).isEqualTo(expected.offset());
            assertThat(actual.lengthBytes()).isEqualTo(expected.length());
            if (expected.payload() != null) {
                assertThat(ByteBufUtil.getBytes(actual.payload())).isEqualTo(expected.payload());
            }
            actual.releasePayload();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Property(tries = 150)
    void optionsRoundTripAtAnySplit(@ForAll @Size(max = 8) List<@IntRange(min = 0, max = 20) Integer> options,
                                    @ForAll @Size(max = 600) byte[] data,
                                    @ForAll @IntRange(min = 1, max = 50) int pieceBytes) {
        ByteBuf encoded = Unpooled.buffer();
        encoded.writeBytes(ClientWire.clientFlags(3));
        for (int option : options) {
            encoded.writeBytes(ClientWire.option(option, data));
        }
        byte[] bytes = ClientWire.bytes(encoded);
        HandshakeDecoder decoder = new HandshakeDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        List<Object> decoded = DecoderHarness.feed(channel, bytes, cuts(bytes.length, pieceBytes));
        assertThat(decoded).hasSize(options.size() + 1);
        assertThat(decoded.get(0)).isEqualTo(new ClientFlags(3));
        for (int i = 0; i < options.size(); i++) {
            OptionRequest option = (OptionRequest) decoded.get(i + 1);
            assertThat(option.option()).isEqualTo(options.get(i));
            assertThat(ByteBufUtil.getBytes(option.data())).isEqualTo(data);
            option.release();
        }
    }

    @Property(tries = 150)
    void randomBytesNeverCrashTheServer(@ForAll @Size(max = 3000) byte[] garbage,
                                        @ForAll boolean afterValidHandshake,
                                        @ForAll @IntRange(min = 1, max = 700) int pieceBytes) {
        ByteBuf stream = Unpooled.buffer();
        if (afterValidHandshake) {
            stream.writeBytes(validHandshake());
        }
        stream.writeBytes(garbage);
        runAgainstServer(ClientWire.bytes(stream), pieceBytes);
    }

    @Property(tries = 200)
    void mutatedSessionsNeverCrashTheServer(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0) Integer> positions,
                                            @ForAll @Size(min = 8, max = 8) byte[] values,
                                            @ForAll @IntRange(min = 1, max = 700) int pieceBytes) {
        byte[] session = validSession();
        for (int i = 0; i < positions.size(); i++) {
            session[positions.get(i) % session.length] = values[i];
        }
        runAgainstServer(session, pieceBytes);
    }

    /** Feeds {@code bytes} to the server pipeline and checks it stayed sound. */
    private static void runAgainstServer(byte[] bytes, int pieceBytes) {
        ExportRegistry exports = new ExportRegistry();
        exports.add(NbdExport.of("r0", new TestDevice(DEVICE_SIZE)));
        CappedAllocator allocator = new CappedAllocator();
        EmbeddedNbd nbd = new EmbeddedNbd(exports, EmbeddedNbd.config(), allocator);
        try {
            nbd.expectGreeting();
            for (int start = 0; start < bytes.length && !nbd.closed(); start += pieceBytes) {
                nbd.send(Unpooled.wrappedBuffer(bytes, start, Math.min(pieceBytes, bytes.length - start)));
            }
            nbd.channel.checkException();
            assertThat(allocator.largestRequestBytes).as("largest single allocation").isLessThanOrEqualTo(ALLOCATION_CAP);
            assertWellFormedReplies(nbd.output);
        } finally {
            nbd.close();
        }
    }

    /** Whatever the server sent parses as option replies, then (after GO) as replies. */
    private static void assertWellFormedReplies(ByteBuf output) {
        while (output.readableBytes() >= 8 && output.getLong(output.readerIndex()) == NbdProtocol.OPTION_REPLY_MAGIC) {
            OptionReply reply = ClientWire.readOptionReply(output);
            assertThat(reply).as("a whole option reply").isNotNull();
        }
        while (output.isReadable()) {
            int magic = output.getInt(output.readerIndex());
            assertThat(magic).as("reply magic").isIn(NbdProtocol.SIMPLE_REPLY_MAGIC, NbdProtocol.STRUCTURED_REPLY_MAGIC);
            // Simple READ replies carry data whose length only the request knows; stop at the first one.
            if (magic == NbdProtocol.SIMPLE_REPLY_MAGIC) {
                return;
            }
            Reply reply = ClientWire.readReply(output, 0);
            assertThat(reply).as("a whole structured chunk").isNotNull();
        }
    }

    private static byte[] validHandshake() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(ClientWire.clientFlags(3));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData("r0", "base:allocation")));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData("r0", NbdProtocol.INFO_BLOCK_SIZE)));
        return ClientWire.bytes(out);
    }

    private static byte[] validSession() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(validHandshake());
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_WRITE, 1, 4096, 512, new byte[512]));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_READ, 2, 0, 8192, null));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_BLOCK_STATUS, 3, 0, 65536, null));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_WRITE_ZEROES, 4, 0, 4096, null));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_TRIM, 5, 0, 4096, null));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_FLUSH, 6, 0, 0, null));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_DISC, 7, 0, 0, null));
        return ClientWire.bytes(out);
    }

    private static int[] cuts(int length, int pieceBytes) {
        List<Integer> cuts = new ArrayList<>();
        for (int cut = pieceBytes; cut < length; cut += pieceBytes) {
            cuts.add(cut);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Records the largest buffer the server asks for. */
    static final class CappedAllocator extends AbstractByteBufAllocator {
        long largestRequestBytes;

        CappedAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largestRequestBytes = Math.max(largestRequestBytes, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largestRequestBytes = Math.max(largestRequestBytes, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
