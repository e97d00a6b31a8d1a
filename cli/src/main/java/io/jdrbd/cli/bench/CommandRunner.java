package io.jdrbd.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion with a bounded wait: stdout and stderr are drained on their own
 * threads (a full pipe would otherwise stall the child), and a program still running at the deadline is
 * killed with its descendants, so no caller ever waits forever.
 */
public final class CommandRunner {

    private CommandRunner() {
    }

    /** What a finished program left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** One line naming the command, its status and the end of its stderr, for error messages. */
        public String describe() {
            String tail = stderr.strip();
            if (tail.length() > 2000) {
                tail = "..." + tail.substring(tail.length() - 2000);
            }
            return String.join(" ", command) + " exited with " + exitCode + (tail.isEmpty() ? "" : ": " + tail);
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, Map.of(), null, command);
    }

    /**
     * Runs {@code command} with extra environment variables, in {@code directory} (null: ours), and waits at
     * most {@code timeout}. Throws {@link IllegalStateException} when the program cannot start or times out.
     */
    public static Result run(Duration timeout, Map<String, String> environment, Path directory,
                             List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + command.get(0) + ": " + e, e);
        } finally {
            destroyWithDescendants(process);
        }
    }

    /** Kills a process and everything it started (e.g. a shell's children); a no-op once it has exited. */
    public static void destroyWithDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        }, "drain-" + stream.hashCode());
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
