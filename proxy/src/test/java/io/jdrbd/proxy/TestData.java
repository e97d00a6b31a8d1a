package io.jdrbd.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Payloads that mix compressible text and incompressible noise, from a seed. */
final class TestData {

    private TestData() {
    }

    static byte[] mixed(long seed, int length) {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        byte[] text = "DRBD replicates a block device to its peers; the proxy buffers and compresses. "
                .getBytes(StandardCharsets.US_ASCII);
        int at = 0;
        while (at < length) {
            int run = Math.min(length - at, 1 + random.nextInt(200_000));
            if (random.nextBoolean()) {
                for (int i = 0; i < run; i++) {
                    data[at + i] = text[(at + i) % text.length];
                }
            } else {
                byte[] noise = new byte[run];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, data, at, run);
            }
            at += run;
        }
        return data;
    }
}
