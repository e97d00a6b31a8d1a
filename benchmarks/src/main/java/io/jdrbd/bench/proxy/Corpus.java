package io.jdrbd.bench.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Benchmark payloads: the text of /usr/share/common-licenses, and seeded noise. */
final class Corpus {

    static final Path LICENSES = Path.of("/usr/share/common-licenses");

    private Corpus() {
    }

    /** The license files concatenated in name order, repeated up to {@code length} bytes. */
    static byte[] licenses(int length) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Path> files;
        try (Stream<Path> listing = Files.list(LICENSES)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            all.write(Files.readAllBytes(file));
        }
        byte[] once = all.toByteArray();
        if (once.length == 0) {
            throw new IOException(LICENSES + " holds no files");
        }
        byte[] out = new byte[length];
        for (int at = 0; at < length; at += once.length) {
            System.arraycopy(once, 0, out, at, Math.min(once.length, length - at));
        }
        return out;
    }

    static byte[] noise(long seed, int length) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }
}
