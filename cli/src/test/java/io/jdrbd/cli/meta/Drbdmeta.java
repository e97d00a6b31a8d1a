package io.jdrbd.cli.meta;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the real drbdmeta and our {@link MetaTool} with the same arguments. drbdmeta remembers the
 * last known size of internal meta-data per minor in /var/lib/drbd; every test uses its own minor
 * and removes that file, so an earlier image of another size cannot mislead it.
 */
final class Drbdmeta {
    private static final AtomicInteger NEXT_MINOR = new AtomicInteger(240);

    record Run(int exitCode, String out, String err) {
        /** The dump without its 5-line comment header (date, host, command line). */
        String dumpBody() {
            String[] lines = out.split("\n", -1);
            return String.join("\n", Arrays.asList(lines).subList(Math.min(5, lines.length), lines.length));
        }
    }

    private final Path program;
    private final String minorDevice;
    private final int minor;

    Drbdmeta() {
        program = ExternalPrograms.require("drbdmeta");
        minor = NEXT_MINOR.getAndIncrement();
        minorDevice = "/dev/drbd" + minor;
    }

    void forgetLastKnownSize() {
        try {
            Files.deleteIfExists(Path.of("/var/lib/drbd/drbd-minor-" + minor + ".lkbd"));
        } catch (IOException e) {
            // not ours to manage when the directory is not writable; drbdmeta then keeps none either
        }
    }

    /** drbdmeta --force DEVICE v09 IMAGE WHERE COMMAND ARGS... */
    Run real(Path image, String where, String... command) throws IOException, InterruptedException {
        return realFormat("v09", image, where, command);
    }

    /** drbdmeta --force DEVICE FORMAT IMAGE WHERE COMMAND ARGS... */
    Run realFormat(String format, Path image, String where, String... command)
            throws IOException, InterruptedException {
        forgetLastKnownSize();
        List<String> line = new ArrayList<>(List.of(program.toString(), "--force", minorDevice, format,
                image.toString(), where));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null"))).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("drbdmeta did not finish: " + line);
        }
        forgetLastKnownSize();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** jdrbd meta --force DEVICE v09 IMAGE WHERE COMMAND ARGS..., in this JVM. */
    Run ours(Path image, String where, String... command) {
        List<String> line = new ArrayList<>(List.of("--force", minorDevice, "v09", image.toString(), where));
        line.addAll(List.of(command));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MetaTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(line);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path sparseImage(Path dir, String name, long bytes) throws IOException {
        Path image = dir.resolve(name);
        try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(bytes);
        }
        return image;
    }
}
