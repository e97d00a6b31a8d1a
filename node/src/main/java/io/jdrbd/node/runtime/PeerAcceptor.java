package io.jdrbd.node.runtime;

import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.InitialPacket;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.ProtocolException;
import io.jdrbd.replication.wire.Stream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Listens on a resource's local replication address and hands each accepted socket to the peer it
 * comes from. Like DRBD, the peer is recognised by its source IP address; the socket's first packet
 * (P_INITIAL_DATA or P_INITIAL_META) says which of the two sockets it is.
 */
final class PeerAcceptor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeerAcceptor.class.getName());

    private final ResourceRuntime runtime;
    private final List<PeerLink> links = new ArrayList<>();
    private final Channel serverChannel;

    PeerAcceptor(ResourceRuntime runtime, InetSocketAddress listenAddress, Class<? extends ServerChannel> serverClass)
            throws IOException {
        this.runtime = runtime;
        ServerBootstrap bootstrap = new ServerBootstrap().group(runtime.loop(), runtime.loop()).channel(serverClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new Identify(channel));
                    }
                });
        try {
            serverChannel = bootstrap.bind(listenAddress).sync().channel();
        } catch (Exception e) {
            throw new IOException(runtime.name() + ": cannot listen on " + listenAddress + ": " + e.getMessage(), e);
        }
    }

    void add(PeerLink link) {
        links.add(link);
    }

    private PeerLink linkFor(InetAddress source, Stream stream) {
        PeerLink byAddress = null;
        int matches = 0;
        for (PeerLink link : links) {
            if (link.peerAddress().getAddress().equals(source)) {
                matches++;
                if (byAddress == null || (!byAddress.wants(stream) && link.wants(stream))) {
                    byAddress = link;
                }
            }
        }
        if (matches > 1) {
            LOG.warning(() -> runtime.name() + ": " + source + " is the address of several peers; "
                    + "give each peer its own address to tell them apart");
        }
        return byAddress;
    }

    @Override
    public void close() {
        serverChannel.close();
    }

    /** Reads the initial packet of an accepted socket, then hands the socket to its link. */
    private final class Identify extends ChannelInboundHandlerAdapter {
        private final SocketChannel channel;
        private final FrameDecoder decoder = PeerLink.newDecoder(null);
        private PeerLink.Receiver receiver;
        private boolean rejected;

        Identify(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                decoder.feed((ByteBuf) msg, this::onPacket);
            } catch (ProtocolException e) {
                LOG.info(() -> runtime.name() + ": rejected socket from " + channel.remoteAddress() + ": "
                        + e.getMessage());
                channel.close();
                return;
            }
            if (receiver != null || rejected) {
                ctx.pipeline().remove(this);
            }
        }

        private void onPacket(Packet packet) {
            if (receiver != null) {
                receiver.deliver(packet);
                return;
            }
            if (rejected || !(packet instanceof InitialPacket initial)) {
                reject("expected P_INITIAL_DATA or P_INITIAL_META first, got " + packet.type());
                release(packet);
                return;
            }
            Stream stream = initial.type().name().endsWith("DATA") ? Stream.DATA : Stream.META;
            PeerLink link = linkFor(channel.remoteAddress().getAddress(), stream);
            if (link == null) {
                reject("no peer of this resource has address " + channel.remoteAddress().getAddress());
                return;
            }
            decoder.expectStream(stream);
            link.configureBuffers(channel);
            receiver = link.accepted(stream, channel, decoder);
            if (receiver == null) {
                rejected = true;
            }
        }

        private void reject(String why) {
            if (!rejected) {
                rejected = true;
                LOG.info(() -> runtime.name() + ": closing socket from " + channel.remoteAddress() + ": " + why);
                channel.close();
            }
        }

        private void release(Packet packet) {
            if (packet instanceof PayloadHolder holder) {
                holder.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (receiver == null) {
                decoder.close();
            }
            ctx.fireChannelInactive();
        }
    }
}
