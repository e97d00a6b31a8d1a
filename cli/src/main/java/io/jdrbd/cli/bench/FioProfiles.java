package io.jdrbd.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fio job files of {@code fio-profiles/} (packaged into the jar under the same name): LINBIT's published
 * DRBD benchmark table, the durability-sensitive variants, and the prefill job that read profiles need.
 */
public final class FioProfiles {

    /** LINBIT's table: 4K random at iodepth 64, 128K sequential at iodepth 16, 4K latency at iodepth 1. */
    public static final List<String> LINBIT_TABLE = List.of(
            "randread-4k-qd64", "randwrite-4k-qd64", "randrw70-4k-qd64",
            "seqread-128k-qd16", "seqwrite-128k-qd16",
            "randread-4k-qd1", "randwrite-4k-qd1");
    /** Variants that flush (fio's nbd engine sends no FUA or FLUSH otherwise). */
    public static final List<String> DURABLE = List.of(
            "randwrite-4k-qd64-fsync", "randwrite-4k-qd1-fsync", "seqwrite-128k-qd16-fsync");
    /** Writes the whole device once, so reads read data rather than holes. */
    public static final String PREFILL = "prefill";

    private static final String RESOURCE_DIR = "/fio-profiles/";

    private FioProfiles() {
    }

    /** Every profile name, in table order. */
    public static List<String> all() {
        List<String> names = new ArrayList<>(LINBIT_TABLE);
        names.addAll(DURABLE);
        return names;
    }

    /**
     * Resolves a user's selection: {@code table} (LINBIT's table), {@code durable}, {@code all}, or a
     * comma-separated list of profile names and those group names; order kept, duplicates dropped.
     */
    public static List<String> select(String selection) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String item : selection.split(",")) {
            String name = item.strip();
            switch (name) {
                case "table" -> chosen.addAll(LINBIT_TABLE);
                case "durable" -> chosen.addAll(DURABLE);
                case "all" -> chosen.addAll(all());
                default -> {
                    if (!all().contains(name)) {
                        throw new IllegalArgumentException("unknown fio profile '" + name + "' (known: table, durable, "
                                + "all, " + String.join(", ", all()) + ")");
                    }
                    chosen.add(name);
                }
            }
        }
        return List.copyOf(chosen);
    }

    /** The job file text of {@code name}, from {@code directory} when given, else from the jar. */
    public static String jobText(String name, Optional<Path> directory) {
        if (directory.isPresent()) {
            Path file = directory.get().resolve(name + ".fio");
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read fio profile " + file, e);
            }
        }
        try (InputStream in = FioProfiles.class.getResourceAsStream(RESOURCE_DIR + name + ".fio")) {
            if (in == null) {
                throw new IllegalStateException("fio profile '" + name + "' is not packaged in this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read packaged fio profile " + name, e);
        }
    }

    /** Whether the profile reads (and so needs a prefilled device to measure more than holes). */
    public static boolean reads(String name) {
        return name.contains("read") || name.contains("rw");
    }
}
