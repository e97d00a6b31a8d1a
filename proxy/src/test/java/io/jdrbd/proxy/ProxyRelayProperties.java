package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the chunking of the node's writes, with stalls in between and a new DRBD socket per
 * try (a reconnect), the far node receives exactly the bytes sent, and they echo back exactly.
 */
class ProxyRelayProperties {

    private static ProxyPair pair;

    @BeforeContainer
    static void startProxies() throws Exception {
        pair = new ProxyPair(1, ProxyConnectionSpec.MEMLIMIT_MIN_BYTES, true);
    }

    @AfterContainer
    static void stopProxies() throws Exception {
        pair.close();
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 200_000).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 15)
    void bytesArriveExactlyUnderRandomChunkingStallsAndReconnects(@ForAll("chunks") List<Integer> chunks,
            @ForAll long seed, @ForAll("stallsMicros") List<Integer> stallsMicros) throws Exception {
        int total = chunks.stream().mapToInt(Integer::intValue).sum();
        byte[] data = TestData.mixed(seed, total);
        try (Socket nodeA = pair.connectNodeA()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = nodeA.getOutputStream();
                    int at = 0;
                    for (int i = 0; i < chunks.size(); i++) {
                        out.write(data, at, chunks.get(i));
                        out.flush();
                        at += chunks.get(i);
                        LockSupport.parkNanos(1_000L * stallsMicros.get(i % stallsMicros.size()));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            byte[] back = new byte[total];
            new DataInputStream(nodeA.getInputStream()).readFully(back);
            writer.join(10_000);
            assertThat(back).isEqualTo(data);
        }
    }

    @Provide
    Arbitrary<List<Integer>> stallsMicros() {
        return Arbitraries.integers().between(0, 20_000).list().ofMinSize(1).ofMaxSize(5);
    }
}
