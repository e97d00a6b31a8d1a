package io.jdrbd.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The control port: one command per line in; the reply's lines out, ended by a line holding only
 * {@value #END}. {@code quit} closes the control connection; {@code shutdown} replies, then stops
 * the proxy. Listens on loopback only (it is unauthenticated).
 */
final class ControlServer {

    /** The line that ends every reply. */
    static final String END = ".";
    private static final int MAX_LINE = 4096;

    private final Channel serverChannel;

    private ControlServer(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    static ControlServer start(ProxyServer proxy, ProxyRuntime runtime, InetSocketAddress listen)
            throws InterruptedException {
        if (!listen.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("control port " + listen + " must be a loopback address");
        }
        ControlCommands commands = new ControlCommands(proxy);
        ChannelFuture bound = new ServerBootstrap().group(runtime.group()).channel(runtime.serverChannelType())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE),
                                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                                new Session(commands, proxy));
                    }
                }).bind(listen).await();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on control port " + listen + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return new ControlServer(bound.channel());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    void close() {
        serverChannel.close().syncUninterruptibly();
    }

    /** One proxy-ctl connection. Commands run off the event loop: they may bind or close listeners. */
    private static final class Session extends SimpleChannelInboundHandler<String> {
        private final ControlCommands commands;
        private final ProxyServer proxy;

        Session(ControlCommands commands, ProxyServer proxy) {
            this.commands = commands;
            this.proxy = proxy;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            ctx.channel().config().setAutoRead(false);
            Thread worker = new Thread(() -> run(ctx, line), "jdrbd-proxy-ctl");
            worker.setDaemon(true);
            worker.start();
        }

        private void run(ChannelHandlerContext ctx, String line) {
            ControlCommands.Reply reply = commands.execute(line);
            String text = reply.text().isEmpty() ? END + "\n" : reply.text() + "\n" + END + "\n";
            ChannelFuture written = ctx.writeAndFlush(text);
            switch (reply.after()) {
                case QUIT -> written.addListener(ChannelFutureListener.CLOSE);
                case SHUTDOWN -> written.addListener(f -> {
                    Thread stopper = new Thread(proxy::close, "jdrbd-proxy-shutdown");
                    stopper.start();
                });
                default -> ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.writeAndFlush("error: " + cause.getMessage() + "\n" + END + "\n")
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
