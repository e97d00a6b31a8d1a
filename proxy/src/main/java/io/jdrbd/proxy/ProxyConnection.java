package io.jdrbd.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxied DRBD connection: the inside listener (the local node connects here, once per DRBD
 * socket), the outside listener (the peer proxy opens tunnels here), the tunnels, and the probe
 * link that tells whether the peer proxy is there.
 *
 * <p>Opening a tunnel: the node connects inside; this proxy connects to the peer's outside address
 * on the same event loop and sends {@code OPEN(TUNNEL)}; the peer connects to its node (bound to
 * {@link ProxyConnectionSpec#insideSource()}) and answers {@code OPEN_OK}; then bytes flow. If the
 * peer proxy or its node cannot be reached, the node's socket is closed and DRBD retries.
 */
final class ProxyConnection {

    private final ProxyRuntime runtime;
    private volatile ProxyConnectionSpec spec;
    private final ConnectionStats stats = new ConnectionStats();
    private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
    private final Set<Tunnel> blockedTunnels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tunnelCounter = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ProbeLink probe;
    private Channel insideServer;
    private Channel outsideServer;
    private volatile boolean closed;

    ProxyConnection(ProxyRuntime runtime, ProxyConnectionSpec spec) {
        this.runtime = runtime;
        this.spec = spec;
        this.probe = new ProbeLink(this, runtime);
    }

    /** Binds both listeners (port 0 picks one) and starts probing the peer proxy. */
    void start() throws InterruptedException {
        insideServer = bind(spec.insideListen(), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                onInsideAccepted(ch);
            }
        });
        try {
            outsideServer = bind(spec.outsideListen(), new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new LinkFrameDecoder(), new OutsideAcceptHandler());
                }
            });
        } catch (RuntimeException | InterruptedException e) {
            insideServer.close();
            throw e;
        }
        probe.start();
    }

    private Channel bind(InetSocketAddress address, ChannelInitializer<Channel> init) throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap().group(runtime.group()).channel(runtime.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init).bind(address).await();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("connection " + spec.name() + ": cannot listen on " + address + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    ProxyConnectionSpec spec() {
        return spec;
    }

    void updateSpec(ProxyConnectionSpec updated) {
        this.spec = updated;
        blockedTunnels.forEach(Tunnel::resumeIfRoom);
    }

    ConnectionStats stats() {
        return stats;
    }

    BlockCompressor compressor() {
        return runtime.compressor();
    }

    InetSocketAddress insideAddress() {
        return (InetSocketAddress) insideServer.localAddress();
    }

    InetSocketAddress outsideAddress() {
        return (InetSocketAddress) outsideServer.localAddress();
    }

    boolean peerReachable() {
        return probe.isUp();
    }

    List<Tunnel> tunnels() {
        return List.copyOf(tunnels);
    }

    /** What happened to this connection (peer lost, peer reached, errors), newest last, bounded. */
    List<String> events() {
        return List.copyOf(events);
    }

    void report(String event) {
        System.err.println("jdrbd proxy: " + spec.name() + ": " + event);
        events.add(event);
        while (events.size() > 100) {
            events.remove(0);
        }
    }

    void hold(int bytes) {
        stats.hold(bytes);
    }

    void release(int bytes) {
        long held = stats.heldBytes.addAndGet(-bytes);
        if (held < spec.memlimitBytes() && !blockedTunnels.isEmpty()) {
            blockedTunnels.forEach(Tunnel::resumeIfRoom);
        }
    }

    void tunnelBlocked(Tunnel tunnel) {
        blockedTunnels.add(tunnel);
    }

    void tunnelUnblocked(Tunnel tunnel) {
        blockedTunnels.remove(tunnel);
    }

    void tunnelEnded(Tunnel tunnel) {
        tunnels.remove(tunnel);
    }

    private void onInsideAccepted(Channel inside) {
        if (closed) {
            inside.close();
            return;
        }
        String label = spec.name() + "#" + tunnelCounter.incrementAndGet();
        Bootstrap bootstrap = new Bootstrap().group(inside.eventLoop()).channel(runtime.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ProxyLimits.CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LinkFrameDecoder());
                    }
                });
        bootstrap.connect(spec.outsidePeer()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                report(label + ": peer proxy " + spec.outsidePeer() + " unreachable (" + f.cause().getMessage()
                        + "); closing the node's socket");
                inside.close();
                return;
            }
            // Data may follow OPEN at once: the peer proxy holds it until its node has accepted, so a
            // new DRBD socket costs one one-way delay, not three. A refusal arrives as the link closing.
            f.channel().writeAndFlush(LinkFrame.open(f.channel().alloc(), LinkFrame.LinkKind.TUNNEL, spec.name()));
            startTunnel(inside, f.channel(), label, true, List.of());
        });
    }

    private boolean tunnelsContain(Channel inside) {
        return tunnels.stream().anyMatch(t -> t.inside() == inside);
    }

    private void startTunnel(Channel inside, Channel outside, String label, boolean awaitingOpenOk,
                             List<LinkFrame> early) {
        if (closed || !inside.isActive() || !outside.isActive()) {
            early.forEach(frame -> frame.payload().release());
            inside.close();
            outside.close();
            return;
        }
        Tunnel tunnel = new Tunnel(this, inside, outside, label, awaitingOpenOk);
        tunnels.add(tunnel);
        stats.tunnelsOpened.increment();
        tunnel.start(early);
    }

    /**
     * On the accepting proxy: reads OPEN, then answers a probe, or connects a tunnel to the node
     * while holding the data frames that arrive meanwhile (at most one read batch: reading is off).
     */
    private final class OutsideAcceptHandler extends SimpleChannelInboundHandler<LinkFrame> {
        private final java.util.ArrayList<LinkFrame> early = new java.util.ArrayList<>();
        private boolean opened;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            releaseEarly();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (!opened) {
                releaseEarly();
            }
        }

        private void releaseEarly() {
            early.forEach(frame -> frame.payload().release());
            early.clear();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
            if (opened) {
                early.add(frame);
                return;
            }
            LinkFrame.LinkKind kind;
            try {
                if (frame.type() != LinkFrame.Type.OPEN) {
                    throw new LinkFrameException(frame.type() + " frame where OPEN was expected");
                }
                kind = LinkFrame.parseOpen(frame.payload());
            } finally {
                frame.payload().release();
            }
            if (kind == LinkFrame.LinkKind.PROBE) {
                ctx.pipeline().remove(this);
                ctx.pipeline().addLast(new ProbeLink.Responder());
                ctx.channel().config().setAutoRead(true);
                ctx.writeAndFlush(LinkFrame.control(ctx.alloc(), LinkFrame.Type.OPEN_OK));
                return;
            }
            opened = true;
            connectToNode(ctx.channel(), this);
        }

        /** Hands over the held frames and steps out of the pipeline (on the loop, once the node accepted). */
        List<LinkFrame> handOver(ChannelHandlerContext ctx) {
            List<LinkFrame> held = List.copyOf(early);
            early.clear();
            ctx.pipeline().remove(this);
            return held;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            report("bad link from " + ctx.channel().remoteAddress() + ": " + cause.getMessage());
            ctx.close();
        }
    }

    private void connectToNode(Channel outside, OutsideAcceptHandler acceptor) {
        String label = spec.name() + "#" + tunnelCounter.incrementAndGet();
        EventLoop loop = outside.eventLoop();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(runtime.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ProxyLimits.CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                });
        ProxyConnectionSpec now = spec;
        ChannelFuture connecting = now.insideSource() == null ? bootstrap.connect(now.insideTarget())
                : bootstrap.connect(now.insideTarget(), new InetSocketAddress(now.insideSource(), 0));
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                report(label + ": node " + now.insideTarget() + " unreachable (" + f.cause().getMessage()
                        + "); closing the peer proxy's link");
                outside.close();
                return;
            }
            outside.closeFuture().addListener(c -> {
                if (!tunnelsContain(f.channel())) {
                    f.channel().close();
                }
            });
            outside.writeAndFlush(LinkFrame.control(outside.alloc(), LinkFrame.Type.OPEN_OK));
            io.netty.channel.ChannelHandlerContext acceptorContext = outside.pipeline().context(acceptor);
            List<LinkFrame> early = acceptorContext == null ? List.of() : acceptor.handOver(acceptorContext);
            startTunnel(f.channel(), outside, label, false, early);
        });
    }

    void close() {
        closed = true;
        probe.close();
        if (insideServer != null) {
            insideServer.close().syncUninterruptibly();
        }
        if (outsideServer != null) {
            outsideServer.close().syncUninterruptibly();
        }
        tunnels.forEach(Tunnel::close);
    }

    boolean isClosed() {
        return closed;
    }
}
