package io.jdrbd.proxy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulated link as a user writes it: {@code 2MB/s,50ms} (rate, then one-way delay). Rate units
 * B, K/KB/KiB, M/MB/MiB, G/GB/GiB per second are powers of 1024, like every SIZE of the CLI; delay
 * in {@code ms} or {@code s} (a bare number is milliseconds). A rate of 0 means unlimited.
 */
public record LinkSpec(long bytesPerSecond, long oneWayDelayMs) {

    private static final Pattern FORM = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmg]?)(?:i?b)?\\s*/\\s*s\\s*,\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s)?\\s*");

    public LinkSpec {
        if (bytesPerSecond < 0 || oneWayDelayMs < 0) {
            throw new IllegalArgumentException("link rate and delay must not be negative");
        }
    }

    public static LinkSpec parse(String text) {
        Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("link '" + text + "': expected RATE/s,DELAY such as 2MB/s,50ms");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        double rate = Double.parseDouble(m.group(1)) * (1L << shift);
        double delay = Double.parseDouble(m.group(3)) * ("s".equals(m.group(4)) ? 1000 : 1);
        return new LinkSpec(Math.round(rate), Math.round(delay));
    }

    /** Starts a {@link LinkEmulator} with this rate and delay. */
    public LinkEmulator start(java.net.InetSocketAddress listen, java.net.InetSocketAddress target)
            throws InterruptedException {
        return LinkEmulator.start(listen, target, bytesPerSecond, oneWayDelayMs);
    }
}
