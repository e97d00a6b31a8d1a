package io.jdrbd.replication.wire;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A live tshark capture on the loopback interface, and tshark runs that decode its file. */
final class TsharkCapture implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path tshark;
    private final Path pcap;
    private final Path stderr;
    private final Process process;

    private TsharkCapture(Path tshark, Path pcap, Path stderr, Process process) {
        this.tshark = tshark;
        this.pcap = pcap;
        this.stderr = stderr;
        this.process = process;
    }

    /** tshark could not capture (not root and not allowed to run dumpcap, or no lo). */
    static final class CaptureNotPermittedException extends Exception {
        private static final long serialVersionUID = 1L;

        CaptureNotPermittedException(String message) {
            super(message);
        }
    }

    /** Starts capturing TCP traffic of {@code port} on lo and returns once tshark reports it is capturing. */
    static TsharkCapture start(Path tshark, int port, Path directory)
            throws IOException, CaptureNotPermittedException {
        Path pcap = directory.resolve("capture.pcapng");
        Path stderr = directory.resolve("tshark-capture.err");
        Process process = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", "tcp port " + port, "-w",
                pcap.toString()).redirectOutput(directory.resolve("tshark-capture.out").toFile())
                .redirectError(stderr.toFile()).start();
        TsharkCapture capture = new TsharkCapture(tshark, pcap, stderr, process);
        await("tshark capturing on lo").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || capture.errors().contains("Capturing on"));
        if (!process.isAlive()) {
            throw new CaptureNotPermittedException("tshark could not capture on lo: " + capture.errors());
        }
        return capture;
    }

    /**
     * tshark reports "Capturing on" before dumpcap really captures; traffic sent in between is lost.
     * Sends probe traffic until the capture file shows some, so the session that follows is complete.
     */
    void awaitLive(ProbeTraffic probe, Path directory) {
        await("capture is live").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            probe.send();
            Result result = run(tshark, directory, "-r", pcap.toString(), "-T", "fields", "-e", "frame.number");
            return result.stdout().lines().anyMatch(line -> !line.isBlank());
        });
    }

    /** Some TCP traffic on the captured port that is not DRBD. */
    interface ProbeTraffic {
        void send() throws IOException;
    }

    Path file() {
        return pcap;
    }

    String errors() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
    }

    /**
     * Waits until the capture file holds {@code count} DRBD packets (counted per packet, not per frame:
     * TCP may carry several in one segment), i.e. until dumpcap has written everything that was sent.
     */
    void awaitDrbdPackets(int count, Path directory) {
        await("capture holds " + count + " DRBD packets").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> countDrbdPackets(directory), counted -> Long.parseLong(counted.substring(0, counted.indexOf(' '))) >= count);
    }

    /** "N packets" plus what tshark said, so that a timeout shows how far the capture got. */
    private String countDrbdPackets(Path directory) throws IOException, InterruptedException {
        Result result = run(tshark, directory, "-r", pcap.toString(), "--enable-heuristic", "drbd_tcp", "-Y", "drbd",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=/s", "-e", "drbd.command");
        long count = result.stdout().lines().flatMap(line -> java.util.Arrays.stream(line.trim().split(" ")))
                .filter(token -> !token.isBlank()).count();
        return count + " packets, exit " + result.exitCode() + ", " + result.stderr().strip();
    }

    /** Runs tshark with {@code arguments} and returns what it printed. */
    static Result run(Path tshark, Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tshark.toString());
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(directory, "tshark", ".out");
        Path err = Files.createTempFile(directory, "tshark", ".err");
        Process run = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!run.waitFor(60, TimeUnit.SECONDS)) {
            run.destroyForcibly();
            throw new IllegalStateException("tshark did not finish: " + command);
        }
        return new Result(run.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}
