package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's NBD client (nbd-client + the nbd module) on /dev/nbd0. This is the one interop test that is
 * skipped rather than failed when its prerequisite is missing: many kernels (containers, this CI's) have no
 * NBD driver, and nbdfuse + loop (BlockDeviceIT) covers a real block device there.
 */
class KernelNbdClientIT {

    private static final Path DEVICE = Path.of("/dev/nbd0");

    @TempDir
    Path workDir;

    @Test
    void shouldWriteThroughTheKernelBlockDeviceIntoTheExport() throws Exception {
        Assumptions.assumeTrue(Files.exists(DEVICE), "no /dev/nbd0: this kernel has no NBD driver loaded");
        long seed = new Random().nextLong();
        byte[] data = new byte[4 << 20];
        new Random(seed).nextBytes(data);
        Path source = workDir.resolve("source.bin");
        Files.write(source, data);

        try (InteropServer server = InteropServer.start(Export.memory(16L << 20), workDir)) {
            Programs.succeed("nbd-client", "127.0.0.1", Integer.toString(server.port()), DEVICE.toString(),
                    "-N", server.export().name());
            try {
                Programs.succeed("dd", "if=" + source, "of=" + DEVICE, "bs=1M", "oflag=direct", "conv=fsync");
            } finally {
                Programs.run("nbd-client", "-d", DEVICE.toString());
            }
            Path copy = workDir.resolve("copy.bin");
            Programs.succeed("nbdcopy", server.uri(), copy.toString());

            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(copy), data.length);
            assertThat(head).as("data written via /dev/nbd0 (seed %d)", seed).isEqualTo(data);
        }
    }
}
