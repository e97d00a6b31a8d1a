package io.jdrbd.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An NBD server the bench (or a test) started as a child process. Either the server prints its URI on the
 * first line of stdout (jdrbd serve, and any pluggable target), or the caller chose the port (nbdkit,
 * qemu-nbd). In both cases it is running only once the port is held by this very process or one of its
 * children: a server left over from another run on the same port is never mistaken for ours.
 */
public final class ServerProcess implements BenchServer {

    /** NBD's IANA port, used when a URI names none. */
    public static final int NBD_DEFAULT_PORT = 10809;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;
    private static final Pattern NBD_URI = Pattern.compile("nbds?://\\S+");

    private final String label;
    private final String uri;
    private final Process process;
    private final Path log;

    private ServerProcess(String label, String uri, Process process, Path log) {
        this.label = label;
        this.uri = uri;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}, reads the URI from its first stdout line and waits until it listens there. */
    public static ServerProcess startPrintingUri(String label, List<String> command, Duration timeout, Path log) {
        Process process = start(command, log, true);
        try {
            String uri = uriIn(firstUriLine(process, timeout, log));
            awaitListening(process, portOf(uri), timeout, log);
            return new ServerProcess(label, uri, process, log);
        } catch (RuntimeException e) {
            CommandRunner.destroyWithDescendants(process);
            throw e;
        }
    }

    /** Starts {@code command}, which was told to serve {@code uri}, and waits until it listens on that port. */
    public static ServerProcess startOnUri(String label, List<String> command, String uri, Duration timeout,
                                           Path log) {
        Process process = start(command, log, false);
        try {
            awaitListening(process, portOf(uri), timeout, log);
            return new ServerProcess(label, uri, process, log);
        } catch (RuntimeException e) {
            CommandRunner.destroyWithDescendants(process);
            throw e;
        }
    }

    /** The first {@code nbd://} or {@code nbds://} URI in a line a server printed. */
    public static String uriIn(String line) {
        Matcher matcher = NBD_URI.matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException("the server's first line holds no NBD URI: '" + line.strip() + "'");
        }
        return matcher.group();
    }

    /** A loopback TCP port that was free a moment ago (the started server's ownership check closes the race). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** The TCP port of an {@code nbd://} or {@code nbds://} URI. */
    public static int portOf(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("not an NBD URI: '" + uri + "'", e);
        }
        if (parsed.getScheme() == null || !parsed.getScheme().startsWith("nbd")) {
            throw new IllegalStateException("not an NBD URI (want nbd://HOST:PORT/EXPORT): '" + uri + "'");
        }
        return parsed.getPort() < 0 ? NBD_DEFAULT_PORT : parsed.getPort();
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String uri() {
        return uri;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    /** CPU time of the server process and its children (all threads), from /proc via ProcessHandle. */
    @Override
    public long cpuNanos() {
        long total = 0;
        for (ProcessHandle handle : (Iterable<ProcessHandle>) java.util.stream.Stream.concat(
                java.util.stream.Stream.of(process.toHandle()), process.descendants())::iterator) {
            Optional<Duration> cpu = handle.info().totalCpuDuration();
            if (cpu.isEmpty()) {
                return -1;
            }
            total += cpu.get().toNanos();
        }
        return total;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the server to stop (SIGTERM), then kills it and its children if it has not exited in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                CommandRunner.destroyWithDescendants(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CommandRunner.destroyWithDescendants(process);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Sends SIGTERM and returns the exit status, or empty if the server did not exit within the timeout. */
    public OptionalInt terminate(Duration timeout) {
        process.destroy();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    private static Process start(List<String> command, Path log, boolean readStdout) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (!readStdout) {
            // nobody reads it: to the log, so a chatty server never blocks on a full pipe
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads stdout on a helper thread (bounded wait) until a line holds an NBD URI: the contract is the first
     * line, but a JVM option such as -XX:StartFlightRecording prints its own line before ours. Lines before
     * the URI and everything after it go to the log.
     */
    private static String firstUriLine(Process process, Duration timeout, Path log) {
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!first.isDone() && NBD_URI.matcher(line).find()) {
                        first.complete(line);
                    } else {
                        Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
                first.complete(null);
            } catch (IOException e) {
                first.completeExceptionally(e);
            }
        }, "server-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            String line = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("server exited without printing its URI" + logTail(log));
            }
            return line;
        } catch (TimeoutException e) {
            throw new IllegalStateException("server printed no URI within " + timeout + logTail(log), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the server's stdout: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }

    private static void awaitListening(Process process, int port, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with status " + process.exitValue()
                        + " before listening on port " + port + logTail(log));
            }
            if (ListeningSockets.isListening(process.toHandle(), port)) {
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
        }
        String who = ListeningSockets.isTakenByAnother(process.toHandle(), port)
                ? " (another process holds that port)" : "";
        throw new IllegalStateException("server did not listen on port " + port + " within " + timeout + who
                + logTail(log));
    }

    private static String logTail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return ": " + (text.length() > 1500 ? "..." + text.substring(text.length() - 1500) : text);
        } catch (IOException e) {
            return "";
        }
    }
}
