package io.jdrbd.cli.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as users write them: a byte count with an optional K, M, G or T suffix (powers of 1024). */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([KMGT]?)(?:I?B)?");

    private ByteSize() {
    }

    /** Parses "1G", "512M", "4096", "1GiB"; throws {@link IllegalArgumentException} naming the bad text. */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (want e.g. 4096, 512M, 1G)");
        }
        int shift = switch (matcher.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long value;
        try {
            value = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size out of range: '" + text + "'", e);
        }
        if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
        return value << shift;
    }
}
