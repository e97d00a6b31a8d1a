package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeDecoderTest {

    private static byte[] stream() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(ClientWire.clientFlags(3));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData("r0", NbdProtocol.INFO_BLOCK_SIZE)));
        out.writeBytes(ClientWire.option(NbdProtocol.OPT_ABORT, new byte[0]));
        return ClientWire.bytes(out);
    }

    private static void assertStream(List<Object> decoded) {
        assertThat(decoded).hasSize(4);
        assertThat(decoded.get(0)).isEqualTo(new ClientFlags(3));
        OptionRequest structured = (OptionRequest) decoded.get(1);
        assertThat(structured.option()).isEqualTo(NbdProtocol.OPT_STRUCTURED_REPLY);
        assertThat(structured.data().readableBytes()).isZero();
        OptionRequest go = (OptionRequest) decoded.get(2);
        assertThat(go.option()).isEqualTo(NbdProtocol.OPT_GO);
        assertThat(ByteBufUtil.getBytes(go.data())).containsExactly(ClientWire.infoData("r0", 3));
        go.release();
        assertThat(((OptionRequest) decoded.get(3)).option()).isEqualTo(NbdProtocol.OPT_ABORT);
    }

    @Test
    void shouldDecodeFedOneByteAtATime() {
        HandshakeDecoder decoder = new HandshakeDecoder();
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        assertStream(DecoderHarness.feedByteAtATime(channel, stream()));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldDecodeSplitAtEveryPosition() {
        byte[] bytes = stream();
        for (int cut = 1; cut < bytes.length; cut++) {
            HandshakeDecoder decoder = new HandshakeDecoder();
            EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
            assertStream(DecoderHarness.feed(channel, bytes, cut));
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void shouldReportOverlongDataAsTooLongAfterSkippingIt() {
        HandshakeDecoder decoder = new HandshakeDecoder(8192, 1 << 20);
        EmbeddedChannel channel = DecoderHarness.channel(decoder::decode);
        decoder.expectOptionsOnly();
        ByteBuf bytes = ClientWire.option(NbdProtocol.OPT_LIST, new byte[10_000]);
        bytes.writeBytes(ClientWire.option(NbdProtocol.OPT_ABORT, new byte[0]));
        List<Object> decoded = DecoderHarness.feed(channel, ClientWire.bytes(bytes), 100, 5000);
        OptionRequest list = (OptionRequest) decoded.get(0);
        assertThat(list.dataTooLong()).isTrue();
        assertThat(list.dataLengthBytes()).isEqualTo(10_000);
        assertThat(((OptionRequest) decoded.get(1)).option()).isEqualTo(NbdProtocol.OPT_ABORT);
    }

    @Test
    void shouldFailOnBadOptionMagicAndDropLaterInput() {
        HandshakeDecoder decoder = new HandshakeDecoder();
        decoder.expectOptionsOnly();
        ByteBuf bad = Unpooled.buffer().writeLong(0x4242).writeInt(1).writeInt(0);
        assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(NbdProtocolException.class)
                .hasMessageContaining("bad option magic 0x4242 at stream offset 0");
        ByteBuf more = Unpooled.buffer(16).writeZero(16);
        assertThat(decoder.decode(more)).as("input after the failure is dropped").isNull();
        assertThat(more.readableBytes()).isZero();
    }

    @Test
    void shouldFailOnOptionLengthBeyondTheDiscardLimit() {
        HandshakeDecoder decoder = new HandshakeDecoder();
        decoder.expectOptionsOnly();
        ByteBuf hostile = Unpooled.buffer().writeLong(NbdProtocol.IHAVEOPT).writeInt(7).writeInt(-1);
        assertThatThrownBy(() -> decoder.decode(hostile)).isInstanceOf(NbdProtocolException.class)
                .hasMessageContaining("exceeds the limit");
    }
}
