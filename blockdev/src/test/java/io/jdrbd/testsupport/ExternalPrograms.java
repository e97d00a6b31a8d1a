package io.jdrbd.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs interop tests drive (nbdinfo, fio, drbdmeta, tshark, ...). Locally a
 * missing program skips the test; with {@code JDRBD_REQUIRE_TOOLS=1} (set by {@code .ci/run}) it
 * fails it, so CI never passes by skipping.
 */
public final class ExternalPrograms {

    /** Searched after PATH: Debian puts drbdmeta/drbdadm in sbin, which a non-root PATH may lack. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private ExternalPrograms() {
    }

    public static boolean toolsRequired() {
        return "1".equals(System.getenv("JDRBD_REQUIRE_TOOLS"));
    }

    /** Where {@code name} is installed, if anywhere. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : EXTRA_DIRS) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The program's path; skips the calling test when it is missing, or fails it in CI. */
    public static Path require(String name) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            String message = "program '" + name + "' is not installed (see .ci/run for the Debian packages)";
            if (toolsRequired()) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    /** Skips (or, in CI, fails) unless {@code condition} holds; for prerequisites other than a program. */
    public static void requireThat(boolean condition, String whatIsMissing) {
        if (!condition) {
            if (toolsRequired()) {
                Assertions.fail(whatIsMissing);
            }
            Assumptions.abort(whatIsMissing);
        }
    }
}
