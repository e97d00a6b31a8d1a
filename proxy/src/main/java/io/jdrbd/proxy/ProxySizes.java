package io.jdrbd.proxy;

import java.util.Locale;

/** Byte sizes as drbd.conf and drbd-proxy-ctl write them, and human-readable output. */
public final class ProxySizes {

    private ProxySizes() {
    }

    /** {@code 200M}, {@code 16777216}, {@code 1G}, {@code 64k}: suffixes are powers of 1024. */
    public static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("size is empty");
        }
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        int shift = switch (last) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is not a number with an optional K/M/G/T suffix");
        }
        if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is out of range");
        }
        return value << shift;
    }

    /** {@code 59.24KiB}, {@code 1.50MiB}, {@code 812B}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }
}
