package io.jdrbd.nbd;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: sends the greeting, hands handshake messages to {@link OptionNegotiation}
 * and requests to {@link Transmission}, and closes the connection on protocol violations. All
 * methods run on the channel's event loop.
 */
final class NbdConnection extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(NbdConnection.class.getName());

    private final ServerContext server;
    private final NbdFrameDecoder decoder;
    private ChannelHandlerContext ctx;
    private OptionNegotiation negotiation;
    private Transmission transmission;
    private ScheduledFuture<?> handshakeTimeout;

    NbdConnection(ServerContext server, NbdFrameDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.negotiation = new OptionNegotiation(server, this);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.writeAndFlush(ReplyEncoder.greeting(context.alloc(),
                NbdProtocol.FLAG_FIXED_NEWSTYLE | NbdProtocol.FLAG_NO_ZEROES));
        long timeoutNs = server.config().handshakeTimeout().toNanos();
        handshakeTimeout = context.executor().schedule(() -> {
            if (transmission == null && context.channel().isActive()) {
                LOG.log(System.Logger.Level.DEBUG, "closing {0}: handshake not finished in time",
                        context.channel().remoteAddress());
                context.close();
            }
        }, timeoutNs, TimeUnit.NANOSECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!context.channel().isActive()) {
            release(msg);
            return;
        }
        if (msg instanceof NbdRequest) {
            if (transmission == null) {
                release(msg);
                throw new IllegalStateException("request before transmission");
            }
            transmission.onRequest((NbdRequest) msg);
        } else if (msg instanceof OptionRequest) {
            negotiation.onOption((OptionRequest) msg);
        } else if (msg instanceof ClientFlags) {
            negotiation.onClientFlags(((ClientFlags) msg).flags());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (transmission != null) {
            transmission.onReadComplete();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (transmission != null) {
            transmission.updateAutoRead();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        server.channelClosed(context.channel());
        if (transmission != null) {
            transmission.onChannelClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (reason instanceof java.nio.channels.ClosedChannelException) {
            // A reply completed after the client went away (writes use the void promise).
            return;
        }
        if (reason instanceof NbdProtocolException || reason instanceof java.io.IOException) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0}: {1}", context.channel().remoteAddress(),
                    reason.getMessage());
        } else {
            LOG.log(System.Logger.Level.WARNING, "closing " + context.channel().remoteAddress()
                    + " after an unexpected error", reason);
        }
        context.close();
    }

    /** Called by the negotiation once the export is open: requests follow. */
    void enterTransmission(NbdExport export, ExportSession session, boolean structuredReplies,
                           boolean blockStatusAllowed) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        transmission = new Transmission(ctx, this, server.config(), export, session, structuredReplies,
                blockStatusAllowed);
        server.exportOpened(ctx.channel(), export.name());
        ctx.channel().config().setAutoRead(true);
        decoder.startTransmission(decoderContext());
    }

    void pauseInput() {
        decoder.pause();
        ctx.channel().config().setAutoRead(false);
    }

    void resumeHandshakeInput() {
        ctx.channel().config().setAutoRead(true);
        decoder.resume(decoderContext());
    }

    void ignoreInput() {
        decoder.ignoreInput();
    }

    int bufferedInputBytes() {
        return decoder.bufferedBytes();
    }

    HandshakeDecoder handshakeDecoder() {
        return decoder.handshakeDecoder();
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /** Flushes what was written and closes the connection. */
    void closeAfterFlush() {
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private ChannelHandlerContext decoderContext() {
        return ctx.pipeline().context(decoder);
    }

    private static void release(Object msg) {
        if (msg instanceof NbdRequest) {
            ((NbdRequest) msg).releasePayload();
        } else if (msg instanceof OptionRequest) {
            ((OptionRequest) msg).release();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }
}
