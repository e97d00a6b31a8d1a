package io.jdrbd.cli.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The reference servers jdrbd is measured against, each started on a free loopback port: {@code nbdkit memory}
 * (the yardstick) and {@code qemu-nbd} on a sparse raw file (writeback cache, as qemu runs by default).
 */
public final class ReferenceServers {

    /** A port can be taken between our probe and the server's bind; so many tries before giving up. */
    private static final int PORT_ATTEMPTS = 3;

    /** The reference kinds {@code jdrbd bench --references} accepts. */
    public enum Kind {
        NBDKIT("nbdkit"), QEMU_NBD("qemu-nbd");

        private final String optionName;

        Kind(String optionName) {
            this.optionName = optionName;
        }

        public String optionName() {
            return optionName;
        }

        public static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.optionName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown reference '" + name + "' (want nbdkit or qemu-nbd)");
        }
    }

    private ReferenceServers() {
    }

    public static ServerProcess start(Kind kind, long sizeBytes, Path workDir, Duration timeout) {
        return switch (kind) {
            case NBDKIT -> startNbdkitMemory(sizeBytes, workDir, timeout);
            case QEMU_NBD -> startQemuNbd(sizeBytes, workDir, timeout);
        };
    }

    /** {@code nbdkit memory SIZE} in the foreground, with its default thread count, dying with us. */
    public static ServerProcess startNbdkitMemory(long sizeBytes, Path workDir, Duration timeout) {
        return startOnFreePort("nbdkit memory", workDir.resolve("nbdkit.log"), timeout, port -> List.of(
                "nbdkit", "--exit-with-parent", "--foreground", "--ipaddr", "127.0.0.1", "--port",
                Integer.toString(port), "memory", Long.toString(sizeBytes)));
    }

    /** {@code qemu-nbd} on a sparse raw file; persistent so fio's probe connection does not end it. */
    public static ServerProcess startQemuNbd(long sizeBytes, Path workDir, Duration timeout) {
        Path image = workDir.resolve("qemu-nbd.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + image, e);
        }
        return startOnFreePort("qemu-nbd file", workDir.resolve("qemu-nbd.log"), timeout, port -> List.of(
                "qemu-nbd", "--format=raw", "--bind=127.0.0.1", "--port=" + port, "--persistent", "--shared=8",
                "--cache=writeback", "--aio=threads", "--discard=unmap", image.toString()));
    }

    /** Starts a server that is told its port; retries on another port if someone else got there first. */
    public static ServerProcess startOnFreePort(String label, Path log, Duration timeout,
                                                IntFunction<List<String>> commandForPort) {
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = ServerProcess.freePort();
            try {
                return ServerProcess.startOnUri(label, commandForPort.apply(port),
                        "nbd://127.0.0.1:" + port + "/", timeout, log);
            } catch (IllegalStateException e) {
                failures.add(e.getMessage());
            }
        }
        throw new IllegalStateException("cannot start " + label + ": " + String.join("; ", failures));
    }
}
