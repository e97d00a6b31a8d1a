package io.jdrbd.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fio job's figures, from {@code fio --output-format=json}: per direction the I/O count, IOPS, bandwidth
 * and total-latency percentiles ({@code lat_ns}, which with {@code lat_percentiles=1} includes the socket send
 * that fio's nbd engine counts as submission; {@code clat_ns} alone would look far too good).
 */
public record FioResult(String jobName, Direction read, Direction write, double serverCpuNanosPerIo) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The report starts with a line that is a lone brace; fio's own messages may contain braces too. */
    private static final Pattern REPORT_START = Pattern.compile("(?m)^\\{\\s*$");

    /** Figures of one direction (read or write) of a job; latencies in nanoseconds, -1 when fio gave none. */
    public record Direction(long totalIos, double iops, double bytesPerSecond, long latencyNsP50,
                            long latencyNsP99) {
    }

    /** A result without the server's CPU cost (unknown: -1). */
    public FioResult(String jobName, Direction read, Direction write) {
        this(jobName, read, write, -1);
    }

    /**
     * This result with the server's CPU cost per I/O: {@code serverCpuNanos} the server process used while fio
     * ran for {@code seconds} (ramp included) at this result's IOPS.
     */
    public FioResult withServerCpu(long serverCpuNanos, double seconds) {
        double ios = iops() * seconds;
        return new FioResult(jobName, read, write, ios <= 0 || serverCpuNanos < 0 ? -1 : serverCpuNanos / ios);
    }

    /** Sum of both directions' IOPS. */
    public double iops() {
        return read.iops + write.iops;
    }

    public double bytesPerSecond() {
        return read.bytesPerSecond + write.bytesPerSecond;
    }

    /** The direction that did most of the I/O: its latency stands for the job (read for a 70/30 mix). */
    public Direction dominant() {
        return read.totalIos >= write.totalIos ? read : write;
    }

    public String dominantName() {
        return read.totalIos >= write.totalIos ? "read" : "write";
    }

    /**
     * Parses fio's JSON report (text before the line that opens it, such as the nbd engine's "connected" line, is
     * skipped). Throws {@link IllegalArgumentException} when the text is not a fio report or a job failed.
     */
    public static FioResult parse(String report) {
        Matcher opening = REPORT_START.matcher(report);
        int start = opening.find() ? opening.start() : -1;
        if (start < 0) {
            throw new IllegalArgumentException("fio printed no JSON report: " + abbreviate(report));
        }
        JsonNode root;
        try {
            root = JSON.readTree(report.substring(start));
        } catch (IOException e) {
            throw new IllegalArgumentException("fio's JSON report does not parse: " + e.getMessage(), e);
        }
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new IllegalArgumentException("fio's JSON report has no jobs");
        }
        JsonNode job = jobs.get(0);
        String name = job.path("jobname").asText("?");
        int error = job.path("error").asInt(0);
        if (error != 0) {
            throw new IllegalArgumentException("fio job " + name + " failed with error " + error);
        }
        return new FioResult(name, direction(job.path("read")), direction(job.path("write")));
    }

    private static Direction direction(JsonNode node) {
        JsonNode percentiles = node.path("lat_ns").path("percentile");
        return new Direction(node.path("total_ios").asLong(0), node.path("iops").asDouble(0),
                node.path("bw_bytes").asDouble(0), percentile(percentiles, 50.0), percentile(percentiles, 99.0));
    }

    private static long percentile(JsonNode percentiles, double wanted) {
        for (Iterator<Map.Entry<String, JsonNode>> it = percentiles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                if (Double.parseDouble(entry.getKey()) == wanted) {
                    return entry.getValue().asLong();
                }
            } catch (NumberFormatException e) {
                // not a percentile key: skip it
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        String stripped = text.strip();
        return stripped.length() > 300 ? stripped.substring(0, 300) + "..." : stripped;
    }
}
