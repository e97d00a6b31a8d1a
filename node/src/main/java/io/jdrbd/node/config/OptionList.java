package io.jdrbd.node.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options of one section, in the order drbdadm keeps them. Immutable. */
public record OptionList(List<Option> options) {

    public static final OptionList EMPTY = new OptionList(List.of());

    public OptionList {
        options = List.copyOf(options);
    }

    public boolean isEmpty() {
        return options.isEmpty();
    }

    /** The first value given for {@code name}, if any. */
    public Optional<String> value(String name) {
        for (Option option : options) {
            if (option.name().equals(name)) {
                return Optional.ofNullable(option.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The number {@code name} is set to here, or its default, in the option's own unit (see
     * {@link OptionDef#scale()}); for options whose table entry is in {@code table}.
     */
    public long number(Map<String, OptionDef> table, String name) {
        OptionDef def = definition(table, name);
        String text = value(name).orElse(def.defaultValue());
        Long number = NumberValue.parse(text, def.scale());
        if (number == null) {
            throw new IllegalStateException("option " + name + " holds '" + text + "', not a number");
        }
        return number;
    }

    /** The yes/no option {@code name}, or its default. */
    public boolean flag(Map<String, OptionDef> table, String name) {
        OptionDef def = definition(table, name);
        return value(name).orElse(def.defaultValue()).equals("yes");
    }

    /** The word or string option {@code name}, or its default ("" for strings without one). */
    public String text(Map<String, OptionDef> table, String name) {
        OptionDef def = definition(table, name);
        return value(name).orElse(def.defaultValue());
    }

    private static OptionDef definition(Map<String, OptionDef> table, String name) {
        OptionDef def = table.get(name);
        if (def == null) {
            throw new IllegalArgumentException("no option " + name + " in this section");
        }
        return def;
    }
}
