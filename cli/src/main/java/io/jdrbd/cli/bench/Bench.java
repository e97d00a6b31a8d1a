package io.jdrbd.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs fio profiles against several NBD servers side by side: every server is prefilled once (if any profile
 * reads), then each profile runs {@code repetitions} times, the servers alternating within each repetition
 * (A B A B ...), so slow drifts of the machine (other load, CPU frequency) touch every server alike.
 */
public final class Bench {

    /** What to run: profile names, seconds per fio job, repetitions, device size, where the job files are. */
    public record Options(List<String> profiles, int runtimeSeconds, int repetitions, long sizeBytes,
                          Optional<Path> profileDir, boolean prefill) {

        public Options {
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("no fio profile chosen");
            }
            if (runtimeSeconds < 1) {
                throw new IllegalArgumentException("runtime must be at least 1 second, not " + runtimeSeconds);
            }
            if (repetitions < 1) {
                throw new IllegalArgumentException("repetitions must be at least 1, not " + repetitions);
            }
        }
    }

    private final Options options;
    private final Path workDir;
    private final PrintStream progress;

    public Bench(Options options, Path workDir, PrintStream progress) {
        this.options = options;
        this.workDir = workDir;
        this.progress = progress;
    }

    public BenchResults run(List<BenchServer> servers) {
        FioRunner fio = new FioRunner(workDir, options.runtimeSeconds());
        if (options.prefill() && options.profiles().stream().anyMatch(FioProfiles::reads)) {
            Path prefillJob = writeJob(FioProfiles.PREFILL);
            for (BenchServer server : servers) {
                progress.printf(Locale.ROOT, "prefilling %s (%s)%n", server.label(), server.uri());
                fio.prefill(prefillJob, server.uri(), options.sizeBytes(), "prefill-" + slug(server.label()));
            }
        }
        BenchResults results = new BenchResults();
        for (String profile : options.profiles()) {
            Path job = writeJob(profile);
            for (int repetition = 1; repetition <= options.repetitions(); repetition++) {
                for (BenchServer server : servers) {
                    long cpuBefore = server.cpuNanos();
                    FioResult result = fio.run(job, server.uri(),
                            profile + "-" + slug(server.label()) + "-" + repetition);
                    long cpuAfter = server.cpuNanos();
                    result = result.withServerCpu(cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore,
                            options.runtimeSeconds() + FioRunner.RAMP_SECONDS);
                    results.add(profile, server.label(), result);
                    progress.printf(Locale.ROOT,
                            "%-26s #%d %-16s %9.0f IOPS %8.1f MB/s  p50 %6.1f µs  p99 %7.1f µs  "
                                    + "server CPU %5.1f µs/IO%n",
                            profile, repetition, server.label(), result.iops(), result.bytesPerSecond() / 1e6,
                            result.dominant().latencyNsP50() / 1e3, result.dominant().latencyNsP99() / 1e3,
                            result.serverCpuNanosPerIo() / 1e3);
                }
            }
        }
        return results;
    }

    private Path writeJob(String profile) {
        Path job = workDir.resolve(profile + ".fio");
        try {
            Files.writeString(job, FioProfiles.jobText(profile, options.profileDir()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + job, e);
        }
        return job;
    }

    private static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
