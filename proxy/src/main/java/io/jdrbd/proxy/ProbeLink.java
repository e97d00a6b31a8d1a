package io.jdrbd.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one small link to the peer proxy open and pings over it, so a connection reports
 * "Connected" only while the peer proxy answers. A lost peer is reported and retried every
 * {@link ProxyLimits#RECONNECT_DELAY_MS}. All state lives on one event loop.
 */
final class ProbeLink {

    private final ProxyConnection connection;
    private final ProxyRuntime runtime;
    private final EventLoop loop;
    private Channel channel;
    private volatile boolean up;
    private boolean everUp;
    private boolean closed;
    private long lastPongNs;
    private ScheduledFuture<?> pinger;

    ProbeLink(ProxyConnection connection, ProxyRuntime runtime) {
        this.connection = connection;
        this.runtime = runtime;
        this.loop = runtime.group().next();
    }

    boolean isUp() {
        return up;
    }

    void start() {
        loop.execute(this::connect);
    }

    void close() {
        loop.execute(() -> {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        });
    }

    private void connect() {
        if (closed) {
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(runtime.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ProxyLimits.CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LinkFrameDecoder(), new Initiator());
                    }
                });
        bootstrap.connect(connection.spec().outsidePeer()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                retryLater();
                return;
            }
            channel = f.channel();
            channel.closeFuture().addListener(c -> onClosed());
            channel.writeAndFlush(LinkFrame.open(channel.alloc(), LinkFrame.LinkKind.PROBE,
                    connection.spec().name()));
        });
    }

    private void retryLater() {
        if (!closed) {
            loop.schedule(this::connect, ProxyLimits.RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void onUp() {
        up = true;
        lastPongNs = System.nanoTime();
        connection.report((everUp ? "peer proxy reached again at " : "peer proxy reached at ")
                + connection.spec().outsidePeer());
        everUp = true;
        pinger = loop.scheduleAtFixedRate(this::ping, ProxyLimits.PROBE_INTERVAL_MS, ProxyLimits.PROBE_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    private void ping() {
        if (System.nanoTime() - lastPongNs > TimeUnit.MILLISECONDS.toNanos(ProxyLimits.PROBE_DEAD_MS)) {
            connection.report("peer proxy " + connection.spec().outsidePeer() + " does not answer pings");
            channel.close();
            return;
        }
        channel.writeAndFlush(LinkFrame.control(channel.alloc(), LinkFrame.Type.PING));
    }

    private void onClosed() {
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        if (up) {
            up = false;
            connection.stats().peerLosses.increment();
            connection.report("peer proxy " + connection.spec().outsidePeer() + " lost; reconnecting");
        }
        channel = null;
        retryLater();
    }

    /** The probing side: OPEN_OK, then PONGs. */
    private final class Initiator extends SimpleChannelInboundHandler<LinkFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
            frame.payload().release();
            if (frame.type() == LinkFrame.Type.OPEN_OK && !up) {
                onUp();
            } else if (frame.type() == LinkFrame.Type.PONG) {
                lastPongNs = System.nanoTime();
            } else {
                throw new LinkFrameException(frame.type() + " frame on a probe link");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The probed side: answers each PING with a PONG. */
    static final class Responder extends SimpleChannelInboundHandler<LinkFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
            frame.payload().release();
            if (frame.type() != LinkFrame.Type.PING) {
                throw new LinkFrameException(frame.type() + " frame on a probe link; expected PING");
            }
            ctx.writeAndFlush(LinkFrame.control(ctx.alloc(), LinkFrame.Type.PONG));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
