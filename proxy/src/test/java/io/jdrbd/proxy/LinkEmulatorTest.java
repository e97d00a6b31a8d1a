package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lower bounds only: the emulated link is never faster than its rate and delay; bytes arrive intact. */
class LinkEmulatorTest {

    @Test
    void shouldDelayEachDirectionAndCapTheRateWithoutChangingTheBytes() throws Exception {
        byte[] data = TestData.mixed(11, 1 << 20);
        try (ProxyPair.FakeNode echo = new ProxyPair.FakeNode(true);
             LinkEmulator link = LinkEmulator.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     echo.address(), 4L << 20, 40);
             Socket socket = new Socket()) {
            socket.connect(link.address());
            socket.setSoTimeout(20_000);
            long start = System.nanoTime();
            socket.getOutputStream().write(7);
            assertThat(socket.getInputStream().read()).isEqualTo(7);
            assertThat((System.nanoTime() - start) / 1_000_000).as("a round trip takes two one-way delays")
                    .isGreaterThanOrEqualTo(80);

            start = System.nanoTime();
            Thread writer = new Thread(() -> ProxyRelayTest.writeAll(socket, data, new AtomicLong()));
            writer.start();
            byte[] back = new byte[data.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            writer.join(10_000);
            assertThat(back).isEqualTo(data);
            assertThat((System.nanoTime() - start) / 1_000_000).as("1 MiB at 4 MiB/s takes at least 250 ms")
                    .isGreaterThanOrEqualTo(250);
        }
    }
}
