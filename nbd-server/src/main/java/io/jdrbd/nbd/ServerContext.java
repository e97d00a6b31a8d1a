package io.jdrbd.nbd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one server shares: the exports, the configuration, session ids, and
 * the channels with an open export (so removing an export can disconnect its clients).
 */
final class ServerContext {
    static final AttributeKey<String> EXPORT_NAME = AttributeKey.valueOf("jdrbd.nbd.export");

    private final ExportRegistry exports;
    private final NbdServerConfig config;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Map<Channel, String> openChannels = new ConcurrentHashMap<>();

    ServerContext(ExportRegistry exports, NbdServerConfig config) {
        this.exports = exports;
        this.config = config;
    }

    ExportRegistry exports() {
        return exports;
    }

    NbdServerConfig config() {
        return config;
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    /** Installs the handlers of one NBD connection. */
    void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        NbdFrameDecoder decoder = new NbdFrameDecoder(new HandshakeDecoder(),
                new RequestDecoder(config.maxPayloadBytes(), RequestDecoder.DEFAULT_DISCARD_LIMIT_BYTES));
        pipeline.addLast("nbd-decoder", decoder);
        pipeline.addLast("nbd-connection", new NbdConnection(this, decoder));
    }

    void exportOpened(Channel channel, String exportName) {
        openChannels.put(channel, exportName);
    }

    void channelClosed(Channel channel) {
        openChannels.remove(channel);
    }

    /** Closes every connection that has {@code exportName} open. */
    void disconnectExport(String exportName) {
        openChannels.forEach((channel, name) -> {
            if (name.equals(exportName)) {
                channel.close();
            }
        });
    }

    int openConnections() {
        return openChannels.size();
    }
}
