package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs a pure decoder inside an {@link EmbeddedChannel} and feeds it bytes in chosen pieces. */
final class DecoderHarness {
    private DecoderHarness() {
    }

    static EmbeddedChannel channel(Function<ByteBuf, Object> decoder) {
        return new EmbeddedChannel(new ByteToMessageDecoder() {
            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                Object message = decoder.apply(in);
                if (message != null) {
                    out.add(message);
                }
            }
        });
    }

    /** Feeds {@code bytes} cut at {@code cuts} (ascending positions) and returns what was decoded. */
    static List<Object> feed(EmbeddedChannel channel, byte[] bytes, int... cuts) {
        int start = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, start, cut - start));
            start = cut;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, start, bytes.length - start));
        List<Object> decoded = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            decoded.add(message);
        }
        return decoded;
    }

    static List<Object> feedByteAtATime(EmbeddedChannel channel, byte[] bytes) {
        int[] cuts = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return feed(channel, bytes, cuts);
    }
}
