package io.jdrbd.node.config;

/**
 * Numbers with unit suffixes as drbdadm reads them (new_strtoll in drbd-utils): a decimal number,
 * optionally followed by one of {@code K k M m G g s} (KiB, MiB, GiB, 512-byte sectors), converted to
 * the option's own unit ("scale"): {@code '1'} plain, {@code 'k'} KiB, {@code 's'} sectors. Converting
 * down rounds up (1s in KiB is 1). Values are unsigned 64-bit, as in drbdadm.
 */
final class NumberValue {

    private NumberValue() {
    }

    /** The value of {@code text} in units of {@code scale}, or null when it is not a number drbdadm accepts. */
    static Long parse(String text, char scale) {
        int shift = scaleShift(scale);
        int i = 0;
        int n = text.length();
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean saturated = false;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            int digit = text.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                saturated = true;
            } else {
                value = value * 10 + digit;
            }
            i++;
        }
        if (i == digitsStart) {
            return null;
        }
        if (saturated) {
            value = -1L; // strtoull saturates at ULLONG_MAX
        } else if (negative) {
            value = -value; // strtoull negates in unsigned arithmetic
        }
        if (i == n) {
            return value;
        }
        if (i + 1 != n) {
            return null; // more than one character after the number
        }
        switch (text.charAt(i)) {
            case 'K': case 'k': shift += 10; break;
            case 'M': case 'm': shift += 20; break;
            case 'G': case 'g': shift += 30; break;
            case 's': shift += 9; break;
            default: return null;
        }
        if (shift < 0) {
            long round = (1L << -shift) - 1;
            // unsigned add then shift right, rounding up; overflow wraps like the C code
            return (value + round) >>> -shift;
        }
        if (shift > 0 && Long.compareUnsigned(value, -1L >>> shift) > 0) {
            return null;
        }
        return value << shift;
    }

    private static int scaleShift(char scale) {
        switch (scale) {
            case 'k': case 'K': return -10;
            case 's': return -9;
            default: return 0;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
