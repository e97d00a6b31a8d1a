package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.wire.Header;
import io.jdrbd.replication.wire.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketCounterTest {

    @Test
    void shouldCountPacketsOfEveryHeaderFormatWhateverTheChunking() {
        ByteBuf stream = Unpooled.buffer();
        stream.writeInt(Header.DRBD_MAGIC).writeShort(PacketType.P_INITIAL_DATA.code()).writeShort(0);
        for (int i = 0; i < 3; i++) {
            stream.writeInt(Header.DRBD_MAGIC_100).writeShort(0).writeShort(PacketType.P_DATA.code()).writeInt(100)
                    .writeInt(0).writeZero(100);
        }
        stream.writeShort(Header.DRBD_MAGIC_BIG).writeShort(PacketType.P_BARRIER.code()).writeInt(8).writeZero(8);
        byte[] wire = new byte[stream.readableBytes()];
        stream.readBytes(wire);
        stream.release();
        for (int chunk = 1; chunk <= wire.length; chunk += 7) {
            PacketCounter counter = new PacketCounter();
            for (int at = 0; at < wire.length; at += chunk) {
                counter.scan(Unpooled.wrappedBuffer(wire, at, Math.min(chunk, wire.length - at)));
            }
            assertThat(counter.counts()).isEqualTo(Map.of(PacketType.P_INITIAL_DATA, 1L, PacketType.P_DATA, 3L,
                    PacketType.P_BARRIER, 1L));
            assertThat(counter.lost()).isFalse();
        }
    }

    @Test
    void shouldStopCountingOnBytesThatAreNotADrbdHeader() {
        PacketCounter counter = new PacketCounter();
        counter.scan(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes()));
        assertThat(counter.lost()).isTrue();
        assertThat(counter.counts()).isEmpty();
    }
}
