package io.jdrbd.node.runtime;

import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.InitialPacket;
import io.jdrbd.replication.wire.Limits;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketEncoder;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.ProtocolException;
import io.jdrbd.replication.wire.Stream;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The two TCP sockets (data and meta) of one connection to a peer, on the resource's event loop.
 *
 * <p>Who connects: the node with the lower node-id opens both sockets and sends P_INITIAL_DATA /
 * P_INITIAL_META first on each; the other side accepts ({@link PeerAcceptor}) and learns from that
 * first packet which socket it got. DRBD lets both sides connect and resolves the race; one active
 * side gives the same two sockets without the race. Retries: immediately, then with a back-off that
 * grows to connect-int.
 */
final class PeerLink {

    private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());
    private static final long FIRST_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ResourceRuntime runtime;
    private final int peerNodeId;
    private final String peerName;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress peerAddress;
    private final boolean activeSide;
    private final long connectIntNs;
    private final int sndbufBytes;
    private final int rcvbufBytes;
    private final Class<? extends SocketChannel> channelClass;
    private final PacketEncoder encoder = new PacketEncoder(PooledByteBufAllocator.DEFAULT);

    private boolean wanted;
    private int session;
    private int failedAttempts;
    private ScheduledFuture<?> retry;
    private final Channel[] channels = new Channel[2];
    private final Channel[] pendingChannels = new Channel[2];
    private final Receiver[] pendingReceivers = new Receiver[2];
    private final boolean[] dirty = new boolean[2];
    private boolean paused;

    PeerLink(ResourceRuntime runtime, int peerNodeId, String peerName, InetSocketAddress localAddress,
             InetSocketAddress peerAddress, boolean activeSide, long connectIntNs, int sndbufBytes, int rcvbufBytes,
             Class<? extends SocketChannel> channelClass) {
        this.runtime = runtime;
        this.peerNodeId = peerNodeId;
        this.peerName = peerName;
        this.localAddress = localAddress;
        this.peerAddress = peerAddress;
        this.activeSide = activeSide;
        this.connectIntNs = connectIntNs;
        this.sndbufBytes = sndbufBytes;
        this.rcvbufBytes = rcvbufBytes;
        this.channelClass = channelClass;
    }

    int peerNodeId() {
        return peerNodeId;
    }

    String peerName() {
        return peerName;
    }

    InetSocketAddress peerAddress() {
        return peerAddress;
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Whether the socket of {@code stream} is up: for the {@code path} objects of events2 and status. */
    boolean established() {
        return channels[0] != null && channels[1] != null;
    }

    /** OpenTransport: start establishing both sockets. */
    void open() {
        if (wanted) {
            return;
        }
        wanted = true;
        session++;
        paused = false;
        if (activeSide) {
            long delayNs = failedAttempts == 0 ? 0
                    : Math.min(connectIntNs, FIRST_RETRY_NS << Math.min(failedAttempts - 1, 16));
            scheduleConnect(delayNs);
        }
    }

    /** CloseTransport: flush what is queued, close both sockets, stop connecting. */
    void close() {
        wanted = false;
        session++;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        for (int i = 0; i < channels.length; i++) {
            dropPending(i);
            Channel channel = channels[i];
            channels[i] = null;
            dirty[i] = false;
            if (channel != null) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    void pauseReceive(boolean value) {
        paused = value;
        Channel data = channels[Stream.DATA.ordinal()];
        if (data != null) {
            data.config().setAutoRead(!value);
        }
    }

    /** Encodes and queues a packet; a socket that is gone drops it (its loss is reported separately). */
    void send(Stream stream, Packet packet) {
        Channel channel = channels[stream.ordinal()];
        if (channel == null || !channel.isActive()) {
            return;
        }
        ByteBuf encoded = encoder.encode(packet);
        channel.write(encoded, channel.voidPromise());
        dirty[stream.ordinal()] = true;
    }

    void flush() {
        for (int i = 0; i < channels.length; i++) {
            if (dirty[i] && channels[i] != null) {
                channels[i].flush();
            }
            dirty[i] = false;
        }
    }

    private void scheduleConnect(long delayNs) {
        int mySession = session;
        retry = runtime.loop().schedule(() -> {
            retry = null;
            if (wanted && session == mySession) {
                Attempt attempt = new Attempt(mySession);
                connect(Stream.DATA, attempt);
                connect(Stream.META, attempt);
            }
        }, delayNs, TimeUnit.NANOSECONDS);
    }

    /**
     * One try at the socket pair. The engine hears of the sockets only when both are up, so a try
     * where one socket fails leaves nothing half-made behind.
     */
    private static final class Attempt {
        final int session;
        final Channel[] connected = new Channel[2];
        int pending = 2;
        boolean failed;

        Attempt(int session) {
            this.session = session;
        }
    }

    private void connect(Stream stream, Attempt attempt) {
        Bootstrap bootstrap = new Bootstrap().group(runtime.loop()).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.NANOSECONDS.toMillis(connectIntNs))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        configureBuffers(channel);
                    }
                });
        bootstrap.connect(peerAddress, new InetSocketAddress(localAddress.getAddress(), 0)).addListener(
                (ChannelFutureListener) future -> {
                    attempt.pending--;
                    if (!future.isSuccess()) {
                        attempt.failed = true;
                    } else {
                        attempt.connected[stream.ordinal()] = future.channel();
                    }
                    if (attempt.pending == 0) {
                        finish(attempt, future.cause());
                    }
                });
    }

    private void finish(Attempt attempt, Throwable cause) {
        boolean current = wanted && session == attempt.session;
        if (attempt.failed || !current) {
            for (Channel channel : attempt.connected) {
                if (channel != null) {
                    channel.close();
                }
            }
            if (current) {
                connectFailed(cause);
            }
            return;
        }
        for (Stream stream : new Stream[] {Stream.DATA, Stream.META}) {
            Channel channel = attempt.connected[stream.ordinal()];
            channel.pipeline().addLast(new Receiver(stream, channel, newDecoder(stream)));
            ByteBuf initial = encoder.encode(stream == Stream.DATA ? InitialPacket.DATA : InitialPacket.META);
            channel.writeAndFlush(initial);
        }
        attach(Stream.DATA, attempt.connected[Stream.DATA.ordinal()]);
        if (wanted && session == attempt.session) {
            attach(Stream.META, attempt.connected[Stream.META.ordinal()]);
        } else {
            attempt.connected[Stream.META.ordinal()].close();
        }
    }

    static FrameDecoder newDecoder(Stream stream) {
        return new FrameDecoder(stream, Limits.DRBD_MAX_BIO_SIZE, PooledByteBufAllocator.DEFAULT);
    }

    /** Whether this link still wants a socket for {@code stream} (the acceptor's tie-break). */
    boolean wants(Stream stream) {
        return wanted && channels[stream.ordinal()] == null;
    }

    private void connectFailed(Throwable cause) {
        failedAttempts++;
        LOG.fine(() -> runtime.name() + ": connect to " + peerName + " " + peerAddress + " failed: " + cause);
        if (retry == null) {
            scheduleConnect(Math.min(connectIntNs, FIRST_RETRY_NS << Math.min(failedAttempts - 1, 16)));
        }
    }

    /**
     * A socket the acceptor identified as ours, after its initial packet. The engine hears of accepted
     * sockets only when both are there (it ignores packets before that), so until then the socket
     * does not read and the packets already decoded are held.
     */
    Receiver accepted(Stream stream, Channel channel, FrameDecoder decoder) {
        if (!wanted) {
            channel.close();
            return null;
        }
        int index = stream.ordinal();
        Channel previous = channels[index] != null ? channels[index] : pendingChannels[index];
        if (previous != null) {
            // a peer that reconnects replaces a socket it gave up on
            if (channels[index] == previous) {
                lost(stream, previous, EngineInput.CloseCause.CLOSED_BY_PEER, "replaced by a new connection");
            } else {
                dropPending(index);
            }
            if (!wanted) {
                channel.close();
                return null;
            }
        }
        Receiver receiver = new Receiver(stream, channel, decoder);
        receiver.holding = true;
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(receiver);
        pendingChannels[index] = channel;
        pendingReceivers[index] = receiver;
        if (pendingChannels[0] != null && pendingChannels[1] != null) {
            Receiver[] receivers = pendingReceivers.clone();
            Channel[] accepted = pendingChannels.clone();
            java.util.Arrays.fill(pendingChannels, null);
            java.util.Arrays.fill(pendingReceivers, null);
            attach(Stream.DATA, accepted[0]);
            attach(Stream.META, accepted[1]);
            for (int i = 0; i < 2; i++) {
                receivers[i].release();
                if (channels[i] == accepted[i] && !(i == Stream.DATA.ordinal() && paused)) {
                    accepted[i].config().setAutoRead(true);
                }
            }
        }
        return receiver;
    }

    private void dropPending(int index) {
        Channel channel = pendingChannels[index];
        Receiver receiver = pendingReceivers[index];
        pendingChannels[index] = null;
        pendingReceivers[index] = null;
        if (receiver != null) {
            receiver.discardHeld();
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void attach(Stream stream, Channel channel) {
        channels[stream.ordinal()] = channel;
        if (stream == Stream.DATA && paused) {
            channel.config().setAutoRead(false);
        }
        if (established()) {
            failedAttempts = 0;
        }
        runtime.input(new EngineInput.TransportConnected(peerNodeId, stream));
    }

    void configureBuffers(Channel channel) {
        if (sndbufBytes > 0) {
            channel.config().setOption(ChannelOption.SO_SNDBUF, sndbufBytes);
        }
        if (rcvbufBytes > 0) {
            channel.config().setOption(ChannelOption.SO_RCVBUF, rcvbufBytes);
        }
    }

    private void lost(Stream stream, Channel channel, EngineInput.CloseCause cause, String detail) {
        if (pendingChannels[stream.ordinal()] == channel) {
            dropPending(stream.ordinal());
            return;
        }
        if (channels[stream.ordinal()] != channel) {
            return;
        }
        channels[stream.ordinal()] = null;
        channel.close();
        runtime.input(new EngineInput.TransportClosed(peerNodeId, stream, cause, detail));
    }

    /** Decodes one socket's bytes into engine inputs, in stream order. */
    final class Receiver extends ChannelInboundHandlerAdapter {
        private final Stream stream;
        private final Channel channel;
        private final FrameDecoder decoder;
        private final java.util.ArrayDeque<Packet> held = new java.util.ArrayDeque<>();
        boolean holding;

        Receiver(Stream stream, Channel channel, FrameDecoder decoder) {
            this.stream = stream;
            this.channel = channel;
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                decoder.feed(bytes, this::deliver); // the decoder owns the chunk from here
            } catch (ProtocolException e) {
                lost(stream, channel, EngineInput.CloseCause.DECODE_ERROR, e.getMessage());
            }
        }

        void deliver(Packet packet) {
            if (holding) {
                held.add(packet);
                return;
            }
            if (channels[stream.ordinal()] != channel) {
                if (packet instanceof PayloadHolder holder) {
                    holder.release();
                }
                return;
            }
            runtime.input(new EngineInput.PacketReceived(peerNodeId, stream, packet));
        }

        /** Stops holding: delivers what was decoded before both sockets were up. */
        void release() {
            holding = false;
            while (!held.isEmpty()) {
                deliver(held.poll());
            }
        }

        void discardHeld() {
            holding = false;
            while (!held.isEmpty()) {
                if (held.poll() instanceof PayloadHolder holder) {
                    holder.release();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            decoder.close();
            lost(stream, channel, EngineInput.CloseCause.CLOSED_BY_PEER, "connection closed by peer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lost(stream, channel, EngineInput.CloseCause.IO_ERROR, String.valueOf(cause.getMessage()));
        }
    }
}
