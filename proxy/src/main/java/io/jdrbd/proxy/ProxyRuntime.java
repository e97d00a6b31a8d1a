package io.jdrbd.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;

/** What all connections of one proxy share: the event loops, the channel types, the compression pool. */
record ProxyRuntime(EventLoopGroup group, Class<? extends ServerChannel> serverChannelType,
                    Class<? extends Channel> channelType, BlockCompressor compressor) {
}
