package io.jdrbd.blockdev;

import java.util.Locale;

/**
 * Parses sizes as the CLI and config files write them: a decimal number of bytes with an optional
 * suffix K, M, G, T, P or E (powers of 1024, as drbd.conf and CLI.md use them; an optional trailing
 * "B" or "iB" is accepted: {@code 64M}, {@code 64MiB}, {@code 64MB} are all 64 * 2^20 bytes).
 */
public final class SizeParser {

    private static final String SUFFIXES = "KMGTPE";

    private SizeParser() {
    }

    /**
     * @param what names the value in error messages (e.g. "--size")
     * @throws IllegalArgumentException naming {@code what} and the text when it is not a size
     */
    public static long parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + ": empty size");
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            int suffix = SUFFIXES.indexOf(s.charAt(s.length() - 1));
            if (suffix >= 0) {
                shift = 10 * (suffix + 1);
                s = s.substring(0, s.length() - 1);
            }
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 19) {
            throw new IllegalArgumentException(what + ": '" + text
                    + "' is not a size (digits with an optional K/M/G/T/P/E suffix, powers of 1024)");
        }
        long number;
        try {
            number = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is too large");
        }
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(what + ": '" + text + "' is too large (more than 2^63-1 bytes)");
        }
        return number << shift;
    }

    /** {@link #parse(String, String)} with "size" as the name in errors. */
    public static long parse(String text) {
        return parse(text, "size");
    }
}
