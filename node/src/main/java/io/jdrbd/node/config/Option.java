package io.jdrbd.node.config;

/**
 * One option as written in a section: its canonical name (a {@code no-} prefix and old aliases already
 * resolved) and its value text as written (units not yet applied). A proxy plugin line has the whole
 * line as its name and a null value.
 */
public record Option(String name, String value) {
}
