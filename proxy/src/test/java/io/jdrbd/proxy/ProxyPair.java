package io.jdrbd.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two proxies on loopback for one connection "r0": a client plays node A (connecting to proxy A's
 * inside), a {@link FakeNode} plays node B (proxy B connects to it, bound to 127.0.0.5).
 */
final class ProxyPair implements AutoCloseable {

    static final InetAddress NODE_A_IP = loopback(5);
    final FakeNode nodeB;
    final ProxyServer proxyA;
    ProxyServer proxyB;
    final int zstdLevel;
    final long memlimit;

    ProxyPair(int zstdLevel, long memlimit, boolean echo) throws Exception {
        this.zstdLevel = zstdLevel;
        this.memlimit = memlimit;
        nodeB = new FakeNode(echo);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        proxyA = ProxyServer.start(config(new ProxyConnectionSpec("r0", any, any, nowhere, nowhere, null,
                memlimit, zstdLevel)));
        startB(any);
        proxyA.updateConnection("r0", s -> new ProxyConnectionSpec(s.name(), s.insideListen(), s.outsideListen(),
                proxyB.outsideAddress("r0"), s.insideTarget(), null, s.memlimitBytes(), s.zstdLevel()));
    }

    void startB(InetSocketAddress outsideListen) throws InterruptedException {
        proxyB = ProxyServer.start(config(new ProxyConnectionSpec("r0",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), outsideListen, proxyA.outsideAddress("r0"),
                nodeB.address(), NODE_A_IP, memlimit, zstdLevel)));
    }

    private static ProxyConfig config(ProxyConnectionSpec spec) {
        return new ProxyConfig(List.of(spec), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2, 2);
    }

    /** Node A opening one DRBD socket through the proxies. */
    Socket connectNodeA() throws IOException {
        Socket socket = new Socket();
        socket.connect(proxyA.insideAddress("r0"), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws IOException {
        proxyA.close();
        if (proxyB != null) {
            proxyB.close();
        }
        nodeB.close();
    }

    /** A node that accepts sockets and echoes (or holds) what it reads. */
    static final class FakeNode implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final boolean echo;
        volatile boolean reading;
        private final Thread acceptor;

        FakeNode(boolean echo) throws IOException {
            this.echo = echo;
            this.reading = echo;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptLoop, "fake-node");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    if (echo) {
                        Thread pump = new Thread(() -> echo(socket), "fake-node-echo");
                        pump.setDaemon(true);
                        pump.start();
                    }
                }
            } catch (IOException closed) {
                // server closed: test over
            }
        }

        private static void echo(Socket socket) {
            byte[] buffer = new byte[64 * 1024];
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // peer went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
