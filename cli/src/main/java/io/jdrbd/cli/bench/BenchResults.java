package io.jdrbd.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Every fio result of a bench, by profile and server, in the order they were measured; medians on demand. */
public final class BenchResults {

    /** The medians of one server on one profile over its repetitions; latencies in ns (-1: none
     * reported) of the direction {@code latencyOf}, the one that did most I/O when the profile is {@code mixed};
     * the server's CPU time per I/O (-1: unknown). */
    public record Summary(int runs, double iops, double bytesPerSecond, double latencyNsP50, double latencyNsP99,
                          double iopsMin, double iopsMax, String latencyOf, boolean mixed,
                          double serverCpuNanosPerIo) {

        /** Spread of the runs' IOPS, (max - min) / median, as a fraction. */
        public double iopsSpread() {
            return iops == 0 ? 0 : (iopsMax - iopsMin) / iops;
        }
    }

    private final Map<String, Map<String, List<FioResult>>> samples = new LinkedHashMap<>();

    public void add(String profile, String server, FioResult result) {
        samples.computeIfAbsent(profile, p -> new LinkedHashMap<>())
                .computeIfAbsent(server, s -> new ArrayList<>()).add(result);
    }

    public List<String> profiles() {
        return List.copyOf(samples.keySet());
    }

    public List<FioResult> samples(String profile, String server) {
        return samples.getOrDefault(profile, Map.of()).getOrDefault(server, List.of());
    }

    public Summary summary(String profile, String server) {
        List<FioResult> runs = samples(profile, server);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no results for " + server + " on " + profile);
        }
        double[] iops = values(runs, FioResult::iops);
        return new Summary(runs.size(), median(iops), median(values(runs, FioResult::bytesPerSecond)),
                median(values(runs, r -> r.dominant().latencyNsP50())),
                median(values(runs, r -> r.dominant().latencyNsP99())),
                Arrays.stream(iops).min().orElse(0), Arrays.stream(iops).max().orElse(0),
                runs.get(0).dominantName(), runs.get(0).read().totalIos() > 0 && runs.get(0).write().totalIos() > 0,
                median(values(runs, FioResult::serverCpuNanosPerIo)));
    }

    /** The median (mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double[] values(List<FioResult> runs, ToDoubleFunction<FioResult> field) {
        return runs.stream().mapToDouble(field).toArray();
    }
}
