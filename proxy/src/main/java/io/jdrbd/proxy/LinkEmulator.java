package io.jdrbd.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A long-distance link on loopback, for tests, benchmarks and {@code cluster up --proxy --link}:
 * a TCP relay that delivers each direction's bytes no faster than {@code bytesPerSecond} and
 * {@code oneWayDelayMs} after they were sent. What may be in flight per direction is bounded by the
 * bandwidth-delay product plus {@link #QUEUE_SLACK_BYTES}; beyond that the relay stops reading, so
 * the sender sees a slow link, not an infinite buffer.
 */
public final class LinkEmulator implements AutoCloseable {

    /** In-flight allowance above the bandwidth-delay product (what a router queue would hold). */
    public static final int QUEUE_SLACK_BYTES = 256 * 1024;
    /** Chunks are paced in slices of at most this size, so a 64 KiB read does not arrive as one burst. */
    private static final int SLICE_BYTES = 16 * 1024;

    private final EventLoopGroup group;
    private final Channel server;

    private LinkEmulator(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /**
     * Listens on {@code listen} (port 0 picks one) and relays every connection to {@code target}.
     * {@code bytesPerSecond} 0 means unlimited.
     */
    public static LinkEmulator start(InetSocketAddress listen, InetSocketAddress target, long bytesPerSecond,
                                     long oneWayDelayMs) throws InterruptedException {
        if (bytesPerSecond < 0 || oneWayDelayMs < 0) {
            throw new IllegalArgumentException("link rate and delay must not be negative");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        long queueLimit = (bytesPerSecond == 0 ? 4L << 20 : bytesPerSecond * oneWayDelayMs / 1000)
                + QUEUE_SLACK_BYTES;
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel accepted) {
                        connect(accepted, target, bytesPerSecond, oneWayDelayMs, queueLimit);
                    }
                }).bind(listen).await();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("link emulator cannot listen on " + listen + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return new LinkEmulator(group, bound.channel());
    }

    private static void connect(Channel accepted, InetSocketAddress target, long rate, long delayMs, long limit) {
        new Bootstrap().group(accepted.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        accepted.close();
                        return;
                    }
                    Channel outgoing = f.channel();
                    Direction forward = new Direction(accepted, outgoing, rate, delayMs, limit);
                    Direction backward = new Direction(outgoing, accepted, rate, delayMs, limit);
                    forward.partner = backward;
                    backward.partner = forward;
                    accepted.pipeline().addLast(forward);
                    outgoing.pipeline().addLast(backward);
                    accepted.config().setAutoRead(true);
                    outgoing.config().setAutoRead(true);
                });
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * One direction: reads from {@code source} (the channel it is installed on), delivers to
     * {@code sink} paced and delayed. Reading pauses while too much is in flight or the sink's
     * socket is full, so a slow receiver slows the sender, as on a real link.
     */
    private static final class Direction extends ChannelInboundHandlerAdapter {
        private final Channel source;
        private final Channel sink;
        /** The opposite direction (reads {@code sink}); its handler sees {@code sink}'s writability changes. */
        private Direction partner;
        private final long rate;
        private final long delayNs;
        private final long queueLimit;
        private long lastDepartureNs;
        private long lastArrivalNs;
        private long queuedBytes;

        Direction(Channel source, Channel sink, long rate, long delayMs, long queueLimit) {
            this.source = source;
            this.sink = sink;
            this.rate = rate;
            this.delayNs = TimeUnit.MILLISECONDS.toNanos(delayMs);
            this.queueLimit = queueLimit;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                while (data.isReadable()) {
                    schedule(ctx, data.readRetainedSlice(Math.min(SLICE_BYTES, data.readableBytes())));
                }
            } finally {
                data.release();
            }
            if (queuedBytes > queueLimit || !sink.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        private void schedule(ChannelHandlerContext ctx, ByteBuf slice) {
            long now = System.nanoTime();
            int length = slice.readableBytes();
            long serialisationNs = rate == 0 ? 0 : length * 1_000_000_000L / rate;
            lastDepartureNs = Math.max(now, lastDepartureNs) + serialisationNs;
            lastArrivalNs = lastDepartureNs + delayNs;
            queuedBytes += length;
            ctx.executor().schedule(() -> {
                queuedBytes -= length;
                sink.writeAndFlush(slice);
                resumeIfRoom();
            }, lastArrivalNs - now, TimeUnit.NANOSECONDS);
        }

        private void resumeIfRoom() {
            if (queuedBytes <= queueLimit && sink.isWritable() && source.isActive()) {
                source.config().setAutoRead(true);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            partner.resumeIfRoom();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            long waitNs = Math.max(0, lastArrivalNs - System.nanoTime());
            ctx.executor().schedule(() -> sink.writeAndFlush(Unpooled.EMPTY_BUFFER)
                    .addListener(ChannelFutureListener.CLOSE), waitNs, TimeUnit.NANOSECONDS);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
