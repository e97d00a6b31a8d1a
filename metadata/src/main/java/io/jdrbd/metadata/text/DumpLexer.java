package io.jdrbd.metadata.text;

import io.jdrbd.metadata.MetadataFormatException;

/** Tokens of drbdmeta's dump format: keywords, numbers, fixed-width hex, strings, symbols; # comments. */
final class DumpLexer {
    private static final int STRING_MAX = 20;

    private final String text;
    private int position;
    private int line = 1;

    DumpLexer(String text) {
        this.text = text;
    }

    MetadataFormatException error(String detail) {
        return new MetadataFormatException("line " + line, detail);
    }

    private void skipSpace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                line++;
                position++;
            } else if (Character.isWhitespace(c)) {
                position++;
            } else if (c == '#') {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else {
                return;
            }
        }
    }

    private String word() {
        skipSpace();
        int start = position;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '\'' || c == '.') {
                position++;
            } else {
                break;
            }
        }
        return text.substring(start, position);
    }

    void keyword(String expected) throws MetadataFormatException {
        int start = position;
        int startLine = line;
        String found = word();
        if (!found.equals(expected)) {
            position = start;
            line = startLine;
            throw error("'" + expected + "' expected, found " + describe(found));
        }
    }

    private String describe(String found) {
        if (!found.isEmpty()) {
            return "'" + found + "'";
        }
        return position < text.length() ? "'" + text.charAt(position) + "'" : "end of file";
    }

    void symbol(char expected) throws MetadataFormatException {
        skipSpace();
        if (position >= text.length() || text.charAt(position) != expected) {
            throw error("'" + expected + "' expected, found "
                    + (position < text.length() ? "'" + text.charAt(position) + "'" : "end of file"));
        }
        position++;
    }

    boolean peekSymbol(char expected) {
        skipSpace();
        return position < text.length() && text.charAt(position) == expected;
    }

    boolean peekNumber() {
        skipSpace();
        if (position >= text.length()) {
            return false;
        }
        char c = text.charAt(position);
        boolean hex = text.startsWith("0x", position) || text.startsWith("0X", position);
        return !hex && (Character.isDigit(c) || c == '-');
    }

    long number(long min, long max) throws MetadataFormatException {
        String found = word();
        if (!found.matches("-?[0-9]{1,19}")) {
            throw error("number expected, found " + describe(found));
        }
        long value;
        try {
            value = Long.parseLong(found);
        } catch (NumberFormatException e) {
            throw error("number out of range: " + found);
        }
        if (value < min || value > max) {
            throw error("number " + value + " out of range " + min + ".." + max);
        }
        return value;
    }

    long hex(int digits) throws MetadataFormatException {
        String found = word();
        if (!found.startsWith("0x") || found.length() != digits + 2
                || !found.substring(2).matches("[0-9a-fA-F]+")) {
            throw error("0x and " + digits + " hex digits expected, found " + describe(found));
        }
        return Long.parseUnsignedLong(found.substring(2), 16);
    }

    String string() throws MetadataFormatException {
        symbol('"');
        int start = position;
        while (position < text.length() && text.charAt(position) != '"' && text.charAt(position) != '\n') {
            position++;
        }
        if (position >= text.length() || text.charAt(position) != '"' || position - start > STRING_MAX) {
            throw error("unterminated or too long string");
        }
        return text.substring(start, position++);
    }

    void end() throws MetadataFormatException {
        skipSpace();
        if (position < text.length()) {
            throw error("end of file expected, found '" + text.charAt(position) + "'");
        }
    }
}
