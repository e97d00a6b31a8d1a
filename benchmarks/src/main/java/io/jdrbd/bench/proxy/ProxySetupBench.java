package io.jdrbd.bench.proxy;

import io.jdrbd.proxy.LinkEmulator;
import io.jdrbd.proxy.ProxyConfig;
import io.jdrbd.proxy.ProxyConnectionSpec;
import io.jdrbd.proxy.ProxyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long a new DRBD socket takes until its first byte reaches the far node, through a proxy pair
 * over an emulated link, against the link alone. The emulator does not delay TCP handshakes (it
 * accepts locally), so the no-proxy figure is one one-way delay: the floor.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jdrbd.bench.proxy.ProxySetupBench [delay-ms=50] [runs=10]</pre>
 */
public final class ProxySetupBench {

    private ProxySetupBench() {
    }

    public static void main(String[] args) throws Exception {
        long delayMs = args.length > 0 ? Long.parseLong(args[0]) : 50;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        InetAddress lo = InetAddress.getLoopbackAddress();
        InetSocketAddress any = new InetSocketAddress(lo, 0);
        try (ServerSocket farNode = new ServerSocket(0, 50, lo)) {
            InetSocketAddress node = (InetSocketAddress) farNode.getLocalSocketAddress();
            try (LinkEmulator direct = LinkEmulator.start(any, node, 2L << 20, delayMs)) {
                report("link only", measure(direct.address(), farNode, runs));
            }
            try (ProxyServer far = ProxyServer.start(new ProxyConfig(List.of(new ProxyConnectionSpec("s", any, any,
                    new InetSocketAddress(lo, 1), node, null, 16L << 20, 3)), null, 1, 1));
                 LinkEmulator link = LinkEmulator.start(any, far.outsideAddress("s"), 2L << 20, delayMs);
                 ProxyServer near = ProxyServer.start(new ProxyConfig(List.of(new ProxyConnectionSpec("s", any, any,
                         link.address(), new InetSocketAddress(lo, 1), null, 16L << 20, 3)), null, 1, 1))) {
                report("proxy pair", measure(near.insideAddress("s"), farNode, runs));
            }
        }
    }

    private static double[] measure(InetSocketAddress entry, ServerSocket farNode, int runs) throws Exception {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(entry);
                OutputStream out = socket.getOutputStream();
                out.write(42);
                out.flush();
                try (Socket accepted = farNode.accept(); InputStream in = accepted.getInputStream()) {
                    if (in.read() != 42) {
                        throw new IllegalStateException("wrong first byte");
                    }
                    millis[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return millis;
    }

    private static void report(String label, double[] millis) {
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "%-12s first byte at far node: median %.1f ms, min %.1f, max %.1f (%d runs)%n",
                label, millis[millis.length / 2], millis[0], millis[millis.length - 1], millis.length);
    }
}
