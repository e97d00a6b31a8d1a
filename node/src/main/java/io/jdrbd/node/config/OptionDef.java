package io.jdrbd.node.config;

import java.util.List;

/**
 * One option of a drbd.conf section, as drbd-utils' tables define it (config_flags.c with the
 * limits of drbd_limits.h): its value type, range, default, unit and scale. Numbers are written in
 * the config with optional unit suffixes and stored in the option's own unit: {@code scale} is
 * {@code '1'} (plain), {@code 'k'} (KiB) or {@code 's'} (512-byte sectors).
 *
 * @param min smallest accepted number (NUMERIC, ENUM_NUM)
 * @param max largest accepted number, compared unsigned (-1 means no upper limit)
 * @param defaultValue the default as it would be written in the config ("" for strings without one)
 * @param unit what one step of the stored number means, for the docs ("1/10 seconds", "KiB/second")
 * @param symbols the allowed words of ENUM, ENUM_NOCASE and ENUM_NUM options
 * @param maxLength strings must be shorter than this (0 = unlimited)
 * @param implicitClamp out-of-range numbers are accepted (the kernel clamps them)
 * @param checkedAfterParsing the value is checked after parsing (resync-after names a resource)
 */
public record OptionDef(String name, Kind kind, long min, long max, String defaultValue, char scale, String unit,
                        List<String> symbols, int maxLength, boolean implicitClamp, boolean checkedAfterParsing) {

    /** Value types of drbd-utils' field classes. */
    public enum Kind { NUMERIC, BOOLEAN, FLAG, ENUM, ENUM_NOCASE, ENUM_NUM, STRING }

    public OptionDef {
        symbols = List.copyOf(symbols);
    }

    static OptionDef numeric(String name, long min, long max, long def, char scale, String unit) {
        return new OptionDef(name, Kind.NUMERIC, min, max, Long.toString(def), scale, unit, List.of(), 0, false, false);
    }

    static OptionDef bool(String name, boolean def) {
        return new OptionDef(name, Kind.BOOLEAN, 0, 1, def ? "yes" : "no", '1', "", List.of(), 0, false, false);
    }

    static OptionDef enumeration(String name, String def, String... symbols) {
        return new OptionDef(name, Kind.ENUM, 0, 0, def, '1', "", List.of(symbols), 0, false, false);
    }

    static OptionDef string(String name, int maxLength) {
        return new OptionDef(name, Kind.STRING, 0, 0, "", '1', "", List.of(), maxLength, false, false);
    }

    OptionDef withImplicitClamp() {
        return new OptionDef(name, kind, min, max, defaultValue, scale, unit, symbols, maxLength, true,
                checkedAfterParsing);
    }

    OptionDef checkedLater() {
        return new OptionDef(name, kind, min, max, defaultValue, scale, unit, symbols, maxLength, implicitClamp,
                true);
    }

    OptionDef withKind(Kind newKind) {
        return new OptionDef(name, newKind, min, max, defaultValue, scale, unit, symbols, maxLength, implicitClamp,
                checkedAfterParsing);
    }

    /** Why drbdadm would refuse {@code value} for this option, or null when it is fine. */
    String check(String value) {
        switch (kind) {
            case NUMERIC: {
                Long number = NumberValue.parse(value, scale);
                if (number == null) {
                    return "not a number";
                }
                if (!implicitClamp && Long.compareUnsigned(number, min) < 0) {
                    return "too small";
                }
                if (!implicitClamp && Long.compareUnsigned(number, max) > 0) {
                    return "too big";
                }
                return null;
            }
            case BOOLEAN:
            case FLAG:
                return value.equals("yes") || value.equals("no") ? null : "not 'yes' or 'no'";
            case ENUM:
                return symbols.contains(value) ? null : "not valid";
            case ENUM_NOCASE:
                return symbols.stream().anyMatch(s -> s.equalsIgnoreCase(value)) ? null : "not valid";
            case ENUM_NUM:
                return checkEnumNum(value);
            case STRING:
                return maxLength > 0 && value.length() >= maxLength ? "too long" : null;
            default:
                throw new AssertionError(kind);
        }
    }

    private String checkEnumNum(String value) {
        if (symbols.contains(value)) {
            return null;
        }
        Long number = NumberValue.parse(value, '1');
        if (number == null) {
            return "not valid";
        }
        // drbdadm compares as a C int: huge numbers wrap to negative values
        int asInt = (int) (long) number;
        if (asInt < min) {
            return "too small";
        }
        return asInt > max ? "too big" : null;
    }
}
