package io.jdrbd.bench.proxy;

import io.jdrbd.proxy.ConnectionStats;
import io.jdrbd.proxy.LinkEmulator;
import io.jdrbd.proxy.ProxyConfig;
import io.jdrbd.proxy.ProxyConnectionSpec;
import io.jdrbd.proxy.ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timed end-to-end runs of the proxy over an emulated long link (not JMH: each run lasts seconds
 * to a minute and is dominated by the link). A "node" writes a burst into one socket; a sink on the
 * far side reads it. Reports when the writer was done (what the primary feels) and when the last
 * byte arrived (what the link allows), with and without a proxy pair.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jdrbd.bench.proxy.ProxyLinkBench
 *     [burst-MiB=100] [text-MiB=20] [rate-bytes/s=2097152] [delay-ms=50]</pre>
 */
public final class ProxyLinkBench {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CHUNK = 1 << 20;

    private ProxyLinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int burstMib = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int textMib = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long rate = args.length > 2 ? Long.parseLong(args[2]) : 2L << 20;
        long delayMs = args.length > 3 ? Long.parseLong(args[3]) : 50;
        long memlimit = 200L << 20;
        System.out.printf(Locale.ROOT, "link %.2f MiB/s, one-way delay %d ms, memlimit 200M, cores %d%n",
                rate / 1048576.0, delayMs, Runtime.getRuntime().availableProcessors());
        System.out.println("run                         MiB  writer-done-s  delivered-s  effective-MiB/s  ratio");
        byte[] burst = Corpus.noise(1, burstMib << 20);
        // References for "local speed": the same burst with no link at all, straight and through the proxies.
        run("burst, local, no link", burst, false, 0, 0, 0, memlimit);
        run("burst, proxies, no link", burst, true, 3, 0, 0, memlimit);
        run("burst, no proxy", burst, false, 0, rate, delayMs, memlimit);
        run("burst, proxy zstd 3", burst, true, 3, rate, delayMs, memlimit);
        byte[] text = Corpus.licenses(textMib << 20);
        byte[] noise = Corpus.noise(2, textMib << 20);
        for (int level : List.of(1, 3, 9)) {
            run("text, proxy zstd " + level, text, true, level, rate, delayMs, memlimit);
            run("random, proxy zstd " + level, noise, true, level, rate, delayMs, memlimit);
        }
    }

    private static void run(String label, byte[] data, boolean proxied, int level, long rate, long delayMs,
                            long memlimit) throws Exception {
        InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
        try (Sink sink = new Sink(data.length)) {
            ProxyServer far = null;
            ProxyServer near = null;
            LinkEmulator link;
            InetSocketAddress entry;
            if (proxied) {
                far = ProxyServer.start(new ProxyConfig(List.of(new ProxyConnectionSpec("bench", any, any,
                        new InetSocketAddress(LOOPBACK, 1), sink.address(), null, memlimit, level)), null, 2, 2));
                link = LinkEmulator.start(any, far.outsideAddress("bench"), rate, delayMs);
                near = ProxyServer.start(new ProxyConfig(List.of(new ProxyConnectionSpec("bench", any, any,
                        link.address(), new InetSocketAddress(LOOPBACK, 1), null, memlimit, level)), null, 2, 2));
                entry = near.insideAddress("bench");
            } else {
                link = LinkEmulator.start(any, sink.address(), rate, delayMs);
                entry = link.address();
            }
            try (Socket node = new Socket()) {
                node.connect(entry);
                long start = System.nanoTime();
                OutputStream out = node.getOutputStream();
                for (int at = 0; at < data.length; at += CHUNK) {
                    out.write(data, at, Math.min(CHUNK, data.length - at));
                }
                out.flush();
                long written = System.nanoTime();
                if (!sink.done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(label + ": sink got " + sink.received.get() + " of " + data.length);
                }
                long delivered = sink.doneAtNs - start;
                double ratio = 1.0;
                if (near != null) {
                    ConnectionStats.Snapshot stats = near.connectionStatus("bench").stats();
                    ratio = stats.compressionRatio();
                }
                System.out.printf(Locale.ROOT, "%-26s %4d  %13.2f  %11.2f  %15.2f  %5.2f%n", label, data.length >> 20,
                        (written - start) / 1e9, delivered / 1e9, (data.length / 1048576.0) / (delivered / 1e9), ratio);
            } finally {
                if (near != null) {
                    near.close();
                }
                link.close();
                if (far != null) {
                    far.close();
                }
            }
        }
    }

    /** Reads one connection to the end, noting when the expected byte count has arrived. */
    private static final class Sink implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, LOOPBACK);
        final AtomicLong received = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long doneAtNs;

        Sink(long expected) throws IOException {
            Thread reader = new Thread(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        if (received.addAndGet(n) >= expected) {
                            doneAtNs = System.nanoTime();
                            done.countDown();
                        }
                    }
                } catch (IOException e) {
                    // closed at the end of the run
                }
            }, "bench-sink");
            reader.setDaemon(true);
            reader.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
