package io.jdrbd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Thin Netty adapter around {@link LinkFrame#decode}. */
final class LinkFrameDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        LinkFrame frame;
        while ((frame = LinkFrame.decode(in)) != null) {
            out.add(frame);
        }
    }
}
