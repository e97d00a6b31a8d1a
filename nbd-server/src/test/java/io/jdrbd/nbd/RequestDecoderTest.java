package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {

    private static byte[] stream() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_READ, 1, 4096, 512, null));
        out.writeBytes(ClientWire.request(NbdProtocol.CMD_FLAG_FUA, NbdProtocol.CMD_WRITE, 2, 8192, 5,
                new byte[] {1, 2, 3, 4, 5}));
        out.writeBytes(ClientWire.request(0, NbdProtocol.CMD_FLUSH, 3, 0, 0, null));
        out.writeBytes(ClientWire.request(NbdProtocol.CMD_FLAG_REQ_ONE, NbdProtocol.CMD_BLOCK_STATUS, -1L, -2L,
                0xffff_ffffL, null));
        return ClientWire.bytes(out);
    }

    private static void assertStream(List<Object> decoded) {
        assertThat(decoded).hasSize(4);
        NbdRequest read = (NbdRequest) decoded.get(0);
        assertThat(read.type()).isEqualTo(NbdProtocol.CMD_READ);
        assertThat(read.cookie()).isEqualTo(1);
        assertThat(read.offset()).isEqualTo(4096);
        assertThat(read.lengthBytes()).isEqualTo(512);
        assertThat(read.payload()).isNull();
        NbdRequest write = (NbdRequest) decoded.get(1);
        assertThat(write.flags()).isEqualTo(NbdProtocol.CMD_FLAG_FUA);
        assertThat(ByteBufUtil.getBytes(write.payload())).containsExactly(1, 2, 3, 4, 5);
        write.releasePayload();
        assertThat(((NbdRequest) decoded.get(2)).type()).isEqualTo(NbdProtocol.CMD_FLUSH);
        NbdRequest status = (NbdRequest) decoded.get(3);
        assertThat(status.cookie()).isEqualTo(-1L);
        assertThat(status.offset()).isEqualTo(-2L);
        assertThat(status.lengthBytes()).as("unsigned 32-bit length").isEqualTo(0xffff_ffffL);
    }

    @Test
    void shouldDecodeAWholeStream() {
        RequestDecoder decoder = new RequestDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        assertStream(DecoderHarness.feed(channel, stream()));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldDecodeFedOneByteAtATime() {
        RequestDecoder decoder = new RequestDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        assertStream(DecoderHarness.feedByteAtATime(channel, stream()));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldDecodeSplitAtEveryPosition() {
        byte[] bytes = stream();
        for (int cut = 1; cut < bytes.length; cut++) {
            RequestDecoder decoder = new RequestDecoder();
            EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
            assertStream(DecoderHarness.feed(channel, bytes, cut));
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void shouldSkipAnOversizedWritePayloadWithoutBufferingIt() {
        int max = 1 << 20;
        RequestDecoder decoder = new RequestDecoder(max, 4L << 20);
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        ByteBuf header = ClientWire.request(0, NbdProtocol.CMD_WRITE, 7, 0, max + 1, null);
        channel.writeInbound(header);
        for (int sent = 0; sent < max; sent += 4096) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
            assertThat((Object) channel.readInbound()).as("not emitted before the payload is consumed")
                    .isNull();
        }
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        channel.writeInbound(ClientWire.request(0, NbdProtocol.CMD_FLUSH, 8, 0, 0, null));
        NbdRequest skipped = channel.readInbound();
        assertThat(skipped.payloadDiscarded()).isTrue();
        assertThat(skipped.payload()).isNull();
        assertThat(skipped.cookie()).isEqualTo(7);
        assertThat(((NbdRequest) channel.readInbound()).cookie()).as("stream stays in sync").isEqualTo(8);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldFailOnBadMagicNamingTheOffset() {
        RequestDecoder decoder = new RequestDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeBytes(ClientWire.request(0, NbdProtocol.CMD_FLUSH, 1, 0, 0, null));
        bytes.writeInt(0x12345678).writeZero(24);
        assertThatThrownBy(() -> channel.writeInbound(bytes)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(NbdProtocolException.class)
                .hasMessageContaining("bad request magic 0x12345678 at stream offset 28");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldFailOnAPayloadBeyondTheHardLimitBeforeAllocating() {
        RequestDecoder decoder = new RequestDecoder(1 << 20, 2L << 20);
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        assertThatThrownBy(() -> channel.writeInbound(
                ClientWire.request(0, NbdProtocol.CMD_WRITE, 1, 0, 0xffff_ffffL, null)))
                .hasCauseInstanceOf(NbdProtocolException.class).hasMessageContaining("hard limit");
        channel.finishAndReleaseAll();
    }
}
