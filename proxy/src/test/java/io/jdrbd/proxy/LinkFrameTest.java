package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkFrameTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void shouldDecodeFramesSplitAtEveryPosition() {
        byte[] text = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(40).getBytes();
        ByteBuf stream = Unpooled.buffer();
        for (ByteBuf frame : List.of(LinkFrame.open(ALLOC, LinkFrame.LinkKind.TUNNEL, "r0-alpha-bravo"),
                BlockCompressor.frame(Unpooled.directBuffer().writeBytes(text), 3, ALLOC),
                LinkFrame.control(ALLOC, LinkFrame.Type.PING))) {
            stream.writeBytes(frame);
            frame.release();
        }
        byte[] wire = new byte[stream.readableBytes()];
        stream.readBytes(wire);
        stream.release();
        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new LinkFrameDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));
            List<LinkFrame> frames = new ArrayList<>();
            LinkFrame frame;
            while ((frame = channel.readInbound()) != null) {
                frames.add(frame);
            }
            assertThat(frames).extracting(LinkFrame::type)
                    .containsExactly(LinkFrame.Type.OPEN, LinkFrame.Type.ZSTD, LinkFrame.Type.PING);
            assertThat(LinkFrame.parseOpen(frames.get(0).payload())).isEqualTo(LinkFrame.LinkKind.TUNNEL);
            ByteBuf plain = BlockCompressor.decompress(frames.get(1).payload(), frames.get(1).rawLength(), ALLOC);
            assertThat(ByteBufUtilBytes.of(plain)).isEqualTo(text);
            plain.release();
            frames.forEach(f -> f.payload().release());
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void shouldSendIncompressibleBlocksRaw() {
        byte[] noise = TestData.mixed(99, 4096);
        new java.util.Random(5).nextBytes(noise);
        ByteBuf frame = BlockCompressor.frame(Unpooled.directBuffer().writeBytes(noise), 19, ALLOC);
        LinkFrame decoded = LinkFrame.decode(frame);
        assertThat(decoded.type()).isEqualTo(LinkFrame.Type.RAW);
        assertThat(ByteBufUtilBytes.of(decoded.payload())).isEqualTo(noise);
        decoded.payload().release();
        frame.release();
    }

    @Test
    void shouldRejectUnknownTypesOversizedPayloadsAndLengthMismatchWithoutConsuming() {
        ByteBuf unknown = Unpooled.buffer().writeByte(42).writeInt(0).writeInt(0);
        assertThatThrownBy(() -> LinkFrame.decode(unknown)).isInstanceOf(LinkFrameException.class)
                .hasMessageContaining("type 42");
        assertThat(unknown.readerIndex()).isZero();
        unknown.release();

        ByteBuf huge = Unpooled.buffer().writeByte(LinkFrame.Type.RAW.ordinal() + 1).writeInt(-1).writeInt(-1);
        assertThatThrownBy(() -> LinkFrame.decode(huge)).isInstanceOf(LinkFrameException.class)
                .hasMessageContaining("exceeds");
        huge.release();

        ByteBuf mismatch = Unpooled.buffer().writeByte(LinkFrame.Type.RAW.ordinal() + 1).writeInt(5).writeInt(4);
        assertThatThrownBy(() -> LinkFrame.decode(mismatch)).isInstanceOf(LinkFrameException.class)
                .hasMessageContaining("differs");
        mismatch.release();
    }

    @Test
    void shouldRejectAnOpenFromSomethingElse() {
        ByteBuf payload = Unpooled.buffer().writeInt(0x12345678).writeShort(1).writeByte(0);
        assertThatThrownBy(() -> LinkFrame.parseOpen(payload)).hasMessageContaining("magic 0x12345678");
        payload.release();
    }

    @Test
    void shouldRejectACorruptZstdPayload() {
        ByteBuf garbage = Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> BlockCompressor.decompress(garbage, 1000, ALLOC))
                .isInstanceOf(LinkFrameException.class).hasMessageContaining("does not decompress");
        garbage.release();
    }

    /** Copies a buffer's readable bytes (test helper). */
    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        }
    }
}
