package io.jdrbd.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders bench results as a table: per profile one row per server (median IOPS, MB/s, total latency p50 and
 * p99, the server's CPU time per I/O) and, on each reference's row, the ratios target/reference (IOPS: higher
 * is better for the target; latency and CPU: lower is better). Plain text for the terminal, Markdown for
 * docs/benchmarks.md.
 */
public final class ResultTable {

    /** Output syntax. */
    public enum Format { TEXT, MARKDOWN }

    private static final String[] HEADER = {
        "profile", "server", "IOPS", "spread", "MB/s", "p50 µs", "p99 µs", "CPU µs/IO", "IOPS ratio", "p50 ratio",
        "p99 ratio", "CPU ratio",
    };

    private ResultTable() {
    }

    public static String render(BenchResults results, String target, List<String> references, Format format) {
        List<String[]> rows = new ArrayList<>();
        for (String profile : results.profiles()) {
            BenchResults.Summary mine = results.summary(profile, target);
            String latencyNote = mine.mixed() ? " (" + mine.latencyOf() + " latency)" : "";
            rows.add(row(profile + latencyNote, target, mine, null));
            for (String reference : references) {
                if (!results.samples(profile, reference).isEmpty()) {
                    rows.add(row("", reference, results.summary(profile, reference), mine));
                }
            }
        }
        return format == Format.MARKDOWN ? markdown(rows) : text(rows);
    }

    private static String[] row(String profile, String server, BenchResults.Summary summary,
                                BenchResults.Summary target) {
        return new String[] {
            profile, server,
            String.format(Locale.ROOT, "%.0f", summary.iops()),
            String.format(Locale.ROOT, "±%.0f%%", summary.iopsSpread() * 50),
            String.format(Locale.ROOT, "%.1f", summary.bytesPerSecond() / 1e6),
            micros(summary.latencyNsP50()),
            micros(summary.latencyNsP99()),
            summary.serverCpuNanosPerIo() < 0 ? "-"
                    : String.format(Locale.ROOT, "%.1f", summary.serverCpuNanosPerIo() / 1000),
            target == null ? "" : ratio(target.iops(), summary.iops()),
            target == null ? "" : ratio(target.latencyNsP50(), summary.latencyNsP50()),
            target == null ? "" : ratio(target.latencyNsP99(), summary.latencyNsP99()),
            target == null ? "" : ratio(target.serverCpuNanosPerIo(), summary.serverCpuNanosPerIo()),
        };
    }

    private static String micros(double nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.0f", nanos / 1000);
    }

    private static String ratio(double mine, double theirs) {
        return mine < 0 || theirs <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", mine / theirs);
    }

    private static String text(List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            widths[i] = HEADER[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendText(out, HEADER, widths);
        for (String[] row : rows) {
            appendText(out, row, widths);
        }
        return out.toString();
    }

    private static void appendText(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            // names left-aligned, figures right-aligned
            String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
            line.append(String.format(Locale.ROOT, format, cells[i])).append(i + 1 < cells.length ? "  " : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String markdown(List<String[]> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        out.append("|---|---|").append("---:|".repeat(HEADER.length - 2)).append('\n');
        for (String[] row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
