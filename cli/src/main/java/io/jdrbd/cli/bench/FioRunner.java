package io.jdrbd.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one fio job file against one NBD URI: the job files take the URI from {@code NBD_URI} and the run
 * time from {@code FIO_RUNTIME}, and fio writes its JSON report to a file (stdout also carries the nbd
 * engine's chatter).
 */
public final class FioRunner {

    /** The profiles' ramp_time: fio runs this long before it starts counting. */
    public static final int RAMP_SECONDS = 1;
    /** fio's start-up, the job's ramp time and its shutdown, on top of the job's own run time. */
    private static final Duration OVERHEAD = Duration.ofSeconds(60);
    /** A prefill slower than this is broken, not slow: it bounds the wait. */
    private static final long PREFILL_MIN_BYTES_PER_SECOND = 10L << 20;

    private final Path workDir;
    private final int runtimeSeconds;

    public FioRunner(Path workDir, int runtimeSeconds) {
        this.workDir = workDir;
        this.runtimeSeconds = runtimeSeconds;
    }

    /** Runs a time-based profile; {@code tag} names the report file (kept in the work directory). */
    public FioResult run(Path jobFile, String uri, String tag) {
        return runWithTimeout(jobFile, uri, tag, OVERHEAD.plusSeconds(runtimeSeconds));
    }

    /** Runs the prefill job, which ends when the whole device is written. */
    public FioResult prefill(Path jobFile, String uri, long sizeBytes, String tag) {
        return runWithTimeout(jobFile, uri, tag, OVERHEAD.plusSeconds(sizeBytes / PREFILL_MIN_BYTES_PER_SECOND));
    }

    private FioResult runWithTimeout(Path jobFile, String uri, String tag, Duration timeout) {
        Path report = workDir.resolve(tag + ".json");
        CommandRunner.Result result = CommandRunner.run(timeout,
                Map.of("NBD_URI", uri, "FIO_RUNTIME", Integer.toString(runtimeSeconds)), workDir,
                List.of("fio", "--output-format=json", "--output=" + report, jobFile.toString()));
        if (!result.succeeded()) {
            throw new IllegalStateException("fio failed on " + uri + ": " + result.describe()
                    + (result.stdout().isBlank() ? "" : " / " + result.stdout().strip()));
        }
        try {
            return FioResult.parse(Files.readString(report, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fio's report " + report, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (" + uri + ", report " + report + ")", e);
        }
    }
}
