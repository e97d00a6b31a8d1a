package io.jdrbd.node.config;

/**
 * A place in a configuration file: the file name as it is shown in messages, a 1-based line and a
 * 1-based column (0 when only the line is known, e.g. for checks made after parsing).
 */
public record SourceLocation(String file, int line, int column) {

    @Override
    public String toString() {
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }
}
