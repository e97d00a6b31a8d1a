package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.nbd.ClientWire.OptionReply;
import io.jdrbd.nbd.ClientWire.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

/** The server's pipeline on an {@link EmbeddedChannel}: no sockets, no threads. */
final class EmbeddedNbd implements AutoCloseable {
    final EmbeddedChannel channel;
    final ByteBuf output = Unpooled.buffer();

    EmbeddedNbd(ExportRegistry exports, NbdServerConfig config) {
        this(exports, config, null);
    }

    EmbeddedNbd(ExportRegistry exports, NbdServerConfig config, ByteBufAllocator allocator) {
        ServerContext context = new ServerContext(exports, config);
        channel = new EmbeddedChannel(false, false, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (allocator != null) {
                    ch.config().setAllocator(allocator);
                }
                context.initChannel(ch);
            }
        });
        if (allocator != null) {
            channel.config().setAllocator(allocator);
        }
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        drain();
    }

    static NbdServerConfig config() {
        return NbdServerConfig.builder().port(0).build();
    }

    /** Reads and checks the 18-byte greeting. */
    EmbeddedNbd expectGreeting() {
        assertThat(output.readableBytes()).isGreaterThanOrEqualTo(NbdProtocol.GREETING_BYTES);
        assertThat(output.readLong()).isEqualTo(NbdProtocol.NBDMAGIC);
        assertThat(output.readLong()).isEqualTo(NbdProtocol.IHAVEOPT);
        assertThat(output.readUnsignedShort()).isEqualTo(3);
        return this;
    }

    /** Greeting plus client flags FIXED_NEWSTYLE|NO_ZEROES. */
    EmbeddedNbd newstyle() {
        expectGreeting();
        send(ClientWire.clientFlags(3));
        return this;
    }

    void send(ByteBuf bytes) {
        if (channel.isOpen()) {
            channel.writeInbound(bytes);
        } else {
            bytes.release();
        }
        channel.runPendingTasks();
        drain();
    }

    OptionReply option(int option, byte[] data) {
        send(ClientWire.option(option, data));
        return nextOptionReply();
    }

    OptionReply nextOptionReply() {
        OptionReply reply = ClientWire.readOptionReply(output);
        assertThat(reply).as("an option reply").isNotNull();
        return reply;
    }

    Reply nextReply(int readLength) {
        drain();
        Reply reply = ClientWire.readReply(output, readLength);
        assertThat(reply).as("a reply").isNotNull();
        return reply;
    }

    /** Structured replies, then GO on {@code name}; returns the transmission flags. */
    int go(String name, boolean structured) {
        if (structured) {
            assertThat(option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
        }
        send(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData(name)));
        int flags = -1;
        while (true) {
            OptionReply reply = nextOptionReply();
            if (reply.type() == NbdProtocol.REP_ACK) {
                return flags;
            }
            assertThat(reply.type()).as("reply to GO: %s", reply.text()).isEqualTo(NbdProtocol.REP_INFO);
            ByteBuf data = Unpooled.wrappedBuffer(reply.data());
            if (data.getUnsignedShort(0) == NbdProtocol.INFO_EXPORT) {
                flags = data.getUnsignedShort(10);
            }
        }
    }

    void drain() {
        ByteBuf message;
        while ((message = channel.readOutbound()) != null) {
            output.writeBytes(message);
            message.release();
        }
    }

    boolean closed() {
        return !channel.isActive();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        output.release();
    }
}
