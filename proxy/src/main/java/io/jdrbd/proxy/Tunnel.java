package io.jdrbd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.TreeMap;

/**
 * One DRBD socket (data or meta) carried between the local node ("inside") and the peer proxy
 * ("outside"). Both channels live on one event loop, which owns all fields here.
 *
 * <p>Inside to outside: reads are gathered into blocks of up to {@link ProxyLimits#BLOCK_BYTES},
 * compressed on the {@link BlockCompressor} pool, and written in sequence order. Every byte read
 * counts against the connection's memlimit until its frame is written to the socket; above the
 * limit this socket stops reading (TCP back-pressure reaches the node). Outside to inside: frames
 * are decompressed and written to the node; when the node does not keep up, reading from the peer
 * proxy pauses. When either side closes, the other is flushed and closed, so DRBD sees the loss.
 */
final class Tunnel {

    /** Blocks smaller than this skip the pool: meta packets (acks, pings) must not queue behind bulk data. */
    private static final int INLINE_BLOCK_BYTES = 1024;

    private final ProxyConnection connection;
    private final ConnectionStats stats;
    private final Channel inside;
    private final Channel outside;
    private final EventLoop loop;
    private final int zstdLevel;
    private final String label;

    private ByteBuf pending;
    private long nextSequence;
    private long nextToEmit;
    private final TreeMap<Long, ByteBuf> completed = new TreeMap<>();
    private final TreeMap<Long, Integer> completedRaw = new TreeMap<>();
    private long heldBytes;
    private boolean insideEnded;
    private boolean outsideEnded;
    private boolean blocked;
    private long blockedSinceNs;
    final TunnelCounters counters = new TunnelCounters();
    final PacketCounter packetsFromNode = new PacketCounter();
    final PacketCounter packetsToNode = new PacketCounter();

    /** The initiating side gets one OPEN_OK from the peer proxy before (or among) the data frames. */
    private boolean awaitingOpenOk;

    Tunnel(ProxyConnection connection, Channel inside, Channel outside, String label, boolean awaitingOpenOk) {
        this.awaitingOpenOk = awaitingOpenOk;
        assert inside.eventLoop() == outside.eventLoop() : "a tunnel's channels share one event loop";
        this.connection = connection;
        this.stats = connection.stats();
        this.inside = inside;
        this.outside = outside;
        this.loop = inside.eventLoop();
        this.zstdLevel = connection.spec().zstdLevel();
        this.label = label;
    }

    /**
     * Installs the relay handlers, forwards the frames the peer proxy sent before the node had
     * accepted, and starts reading on both sides. Called on the loop.
     */
    void start(java.util.List<LinkFrame> early) {
        inside.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(
                ProxyLimits.INSIDE_WRITE_LOW_WATER, ProxyLimits.INSIDE_WRITE_HIGH_WATER));
        inside.pipeline().addLast("relay", new InsideHandler());
        outside.pipeline().addLast("relay", new OutsideHandler());
        try {
            early.forEach(this::onOutsideFrame);
        } catch (LinkFrameException e) {
            connection.report(label + ": peer proxy link error: " + e.getMessage());
            close();
        }
        inside.flush();
        inside.config().setAutoRead(true);
        outside.config().setAutoRead(true);
        inside.closeFuture().addListener(f -> loop.execute(this::onInsideEnded));
        outside.closeFuture().addListener(f -> loop.execute(this::onOutsideEnded));
    }

    String label() {
        return label;
    }

    Channel inside() {
        return inside;
    }

    long heldBytes() {
        return heldBytes;
    }

    void close() {
        inside.close();
        outside.close();
    }

    // ---- inside -> outside -------------------------------------------------------------------

    private void onInsideRead(ByteBuf msg) {
        int length = msg.readableBytes();
        if (outsideEnded || length == 0) {
            msg.release();
            return;
        }
        stats.insideReadBytes.add(length);
        counters.insideReadBytes += length;
        packetsFromNode.scan(msg);
        hold(length);
        try {
            while (msg.isReadable()) {
                if (pending == null) {
                    pending = inside.alloc().directBuffer(ProxyLimits.BLOCK_BYTES, ProxyLimits.BLOCK_BYTES);
                }
                int take = Math.min(msg.readableBytes(), pending.writableBytes());
                pending.writeBytes(msg, take);
                if (!pending.isWritable()) {
                    cutBlock();
                }
            }
        } finally {
            msg.release();
        }
        blockIfFull();
    }

    private void cutBlock() {
        ByteBuf block = pending;
        pending = null;
        long sequence = nextSequence++;
        int raw = block.readableBytes();
        if (zstdLevel == 0 || raw < INLINE_BLOCK_BYTES) {
            onFrameReady(sequence, BlockCompressor.frame(block, 0, inside.alloc()), raw);
            return;
        }
        connection.compressor().submit(block, zstdLevel, inside.alloc(),
                frame -> loop.execute(() -> onFrameReady(sequence, frame, raw)));
    }

    private void onFrameReady(long sequence, ByteBuf frame, int raw) {
        if (outsideEnded) {
            frame.release();
            release(raw);
            return;
        }
        completed.put(sequence, frame);
        completedRaw.put(sequence, raw);
        boolean wrote = false;
        while (!completed.isEmpty() && completed.firstKey() == nextToEmit) {
            ByteBuf next = completed.pollFirstEntry().getValue();
            int nextRaw = completedRaw.pollFirstEntry().getValue();
            nextToEmit++;
            emit(next, nextRaw);
            wrote = true;
        }
        if (wrote) {
            outside.flush();
        }
        closeOutsideIfDrained();
    }

    private void emit(ByteBuf frame, int raw) {
        int payload = frame.readableBytes() - LinkFrame.HEADER_BYTES;
        boolean compressed = frame.getUnsignedByte(frame.readerIndex()) == LinkFrame.Type.ZSTD.ordinal() + 1;
        (compressed ? stats.blocksCompressed : stats.blocksRaw).increment();
        outside.write(frame).addListener(f -> {
            if (f.isSuccess()) {
                stats.outsideWrittenBytes.add(payload);
                stats.outsideWrittenRawBytes.add(raw);
                counters.outsideWrittenBytes += payload;
            }
            release(raw);
        });
    }

    private void hold(int bytes) {
        heldBytes += bytes;
        connection.hold(bytes);
    }

    private void release(int bytes) {
        heldBytes -= bytes;
        connection.release(bytes);
        resumeIfRoom();
    }

    private boolean overLimit() {
        return heldBytes >= ProxyLimits.SOCKET_RESERVE_BYTES
                && stats.heldBytes.get() >= connection.spec().memlimitBytes();
    }

    private void blockIfFull() {
        if (!blocked && overLimit()) {
            blocked = true;
            blockedSinceNs = System.nanoTime();
            stats.blockedEpisodes.increment();
            inside.config().setAutoRead(false);
            connection.tunnelBlocked(this);
        }
    }

    /** Reading from the node resumes once the buffer has room. Safe to call from any thread. */
    void resumeIfRoom() {
        if (!loop.inEventLoop()) {
            loop.execute(this::resumeIfRoom);
            return;
        }
        if (blocked && !overLimit()) {
            blocked = false;
            stats.blockedNanos.add(System.nanoTime() - blockedSinceNs);
            connection.tunnelUnblocked(this);
            if (!insideEnded) {
                inside.config().setAutoRead(true);
            }
        }
    }

    private void onInsideReadComplete() {
        if (pending != null && pending.isReadable()) {
            cutBlock();
        }
    }

    private void onInsideEnded() {
        if (insideEnded) {
            return;
        }
        insideEnded = true;
        if (pending != null) {
            if (pending.isReadable() && !outsideEnded) {
                cutBlock();
            } else {
                pending.release();
                pending = null;
            }
        }
        if (blocked) {
            blocked = false;
            stats.blockedNanos.add(System.nanoTime() - blockedSinceNs);
            connection.tunnelUnblocked(this);
        }
        closeOutsideIfDrained();
        connection.tunnelEnded(this);
    }

    private void closeOutsideIfDrained() {
        if (insideEnded && nextToEmit == nextSequence && outside.isOpen()) {
            outside.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- outside -> inside -------------------------------------------------------------------

    private void onOutsideFrame(LinkFrame frame) {
        ByteBuf payload = frame.payload();
        if (awaitingOpenOk && frame.type() == LinkFrame.Type.OPEN_OK) {
            awaitingOpenOk = false;
            payload.release();
            return;
        }
        int wire = payload.readableBytes();
        ByteBuf data;
        if (frame.type() == LinkFrame.Type.RAW) {
            data = payload;
        } else if (frame.type() == LinkFrame.Type.ZSTD) {
            try {
                data = BlockCompressor.decompress(payload, frame.rawLength(), inside.alloc());
            } finally {
                payload.release();
            }
        } else {
            payload.release();
            throw new LinkFrameException(frame.type() + " frame on a tunnel link; expected RAW or ZSTD");
        }
        packetsToNode.scan(data);
        stats.outsideReadBytes.add(wire);
        stats.insideWrittenBytes.add(data.readableBytes());
        counters.insideWrittenBytes += data.readableBytes();
        if (insideEnded) {
            data.release();
            return;
        }
        inside.write(data);
        if (!inside.isWritable()) {
            outside.config().setAutoRead(false);
        }
    }

    private void onOutsideEnded() {
        if (outsideEnded) {
            return;
        }
        outsideEnded = true;
        completed.values().forEach(ByteBuf::release);
        completedRaw.values().forEach(this::releaseQuietly);
        completed.clear();
        completedRaw.clear();
        if (pending != null) {
            releaseQuietly(pending.readableBytes());
            pending.release();
            pending = null;
        }
        inside.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseQuietly(int raw) {
        heldBytes -= raw;
        connection.release(raw);
    }

    /** Node side. */
    private final class InsideHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            onInsideRead((ByteBuf) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            onInsideReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (inside.isWritable() && !outsideEnded) {
                outside.config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.report(label + ": node socket error: " + cause.getMessage());
            ctx.close();
        }
    }

    /** Peer proxy side. */
    private final class OutsideHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            onOutsideFrame((LinkFrame) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inside.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.report(label + ": peer proxy link error: " + cause.getMessage());
            ctx.close();
        }
    }

    /** Per-socket byte counts for {@code list subconnections}; written on the loop, read racily for reports. */
    static final class TunnelCounters {
        volatile long insideReadBytes;
        volatile long outsideWrittenBytes;
        volatile long insideWrittenBytes;
    }
}
