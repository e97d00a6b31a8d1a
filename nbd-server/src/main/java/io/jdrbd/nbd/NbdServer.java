package io.jdrbd.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An NBD server (fixed newstyle, structured replies, base:allocation, STARTTLS) exporting
 * {@link io.jdrbd.blockdev.BlockDevice}s. Uses native epoll when available, NIO otherwise.
 *
 * <pre>{@code
 * NbdServer server = NbdServer.start(NbdServerConfig.builder().port(0).build());
 * server.addExport(NbdExport.of("r0", device).withAccessListener(listener));
 * int port = server.port();
 * ...
 * server.close();
 * }</pre>
 *
 * Exports may be added and removed while the server runs; removing one disconnects its clients.
 */
public final class NbdServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NbdServer.class.getName());

    private final ExportRegistry exports;
    private final ServerContext context;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final boolean nativeTransport;

    private NbdServer(ExportRegistry exports, ServerContext context, EventLoopGroup group, Channel serverChannel,
                      boolean nativeTransport) {
        this.exports = exports;
        this.context = context;
        this.group = group;
        this.serverChannel = serverChannel;
        this.nativeTransport = nativeTransport;
    }

    /** Binds and starts serving; the registry starts empty. */
    public static NbdServer start(NbdServerConfig config) throws InterruptedException {
        return start(config, new ExportRegistry());
    }

    /** Binds and starts serving the exports of {@code exports} (which stays live). */
    public static NbdServer start(NbdServerConfig config, ExportRegistry exports) throws InterruptedException {
        Objects.requireNonNull(config, "config");
        ServerContext context = new ServerContext(exports, config);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    // Reads grow to 256 KiB so a 128 KiB write payload usually arrives in one read.
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024,
                            256 * 1024))
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(4 * 1024 * 1024, 16 * 1024 * 1024))
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            context.initChannel(channel);
                        }
                    });
            Channel channel = bootstrap.bind(config.bindAddress(), config.port()).sync().channel();
            LOG.log(System.Logger.Level.DEBUG, "NBD server on {0} ({1})", channel.localAddress(),
                    epoll ? "epoll" : "nio");
            return new NbdServer(exports, context, group, channel, epoll);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The port actually bound (useful when the config asked for port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Whether the native epoll transport is in use (NIO otherwise). */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    public ExportRegistry exports() {
        return exports;
    }

    public void addExport(NbdExport export) {
        exports.add(export);
    }

    /**
     * Stops offering {@code name} and disconnects the clients that have it open (their in-flight
     * requests still complete, then each session's access listener hears the close).
     */
    public Optional<NbdExport> removeExport(String name) {
        Optional<NbdExport> removed = exports.remove(name);
        removed.ifPresent(export -> context.disconnectExport(export.name()));
        return removed;
    }

    /** Connections currently in the transmission phase. */
    public int openConnections() {
        return context.openConnections();
    }

    /** The URI of an export on this server, e.g. {@code nbd://127.0.0.1:10809/r0}. */
    public String uri(String exportName) {
        InetSocketAddress address = localAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String scheme = context.config().tlsRequired() ? "nbds" : "nbd";
        return scheme + "://" + host + ":" + address.getPort() + "/" + exportName;
    }

    /** Stops accepting, closes every connection and waits for the I/O threads to end. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
