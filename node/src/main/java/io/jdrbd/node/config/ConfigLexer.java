package io.jdrbd.node.config;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits drbd.conf text into tokens the way drbdadm's flex scanner does: at each position the
 * longest match wins, and among equally long matches the earlier rule (keywords before addresses
 * before numbers before strings). So {@code 7789} is a number, {@code 10.0.0.1} an IPv4 address,
 * {@code online} a string (not the keyword {@code on}), and a nine-digit number a string.
 */
final class ConfigLexer {

    /** Words drbdadm's scanner returns as keywords (everything else made of string characters is a string). */
    static final Set<String> KEYWORDS = Set.of(
            "on", "stacked-on-top-of", "floating", "no", "net", "yes", "ask", "via", "skip",
            "require-drbd-module-version-eq", "require-drbd-module-version-ne", "require-drbd-module-version-gt",
            "require-drbd-module-version-ge", "require-drbd-module-version-lt", "require-drbd-module-version-le",
            "disk", "host", "hosts", "port", "proxy", "minor", "inside", "volume", "cmd-timeout-short",
            "cmd-timeout-medium", "cmd-timeout-long", "syncer", "device", "global", "common", "options", "outside",
            "address", "startup", "include", "handlers", "connection", "connection-mesh", "minor-count",
            "disable-ip-verification", "udev-always-use-vnr", "dialog-refresh", "resource", "meta-disk",
            "flexible-meta-disk", "node-id", "usage-count", "_this_host", "_remote_host", "_peer_node_id",
            "_is_standalone", "template-file", "path", "sci", "ssocks", "sdp", "ipv4", "ipv6");

    private static final int STRING_MAX = 128;
    private static final int DQSTRING_UNITS_MAX = 255;
    private static final int NUM_DIGITS_MAX = 8;
    /** Longest text an IPv6 address token can have: 8 groups plus a scope id of a whole string. */
    private static final int IPV6_SCAN_MAX = 40 + 1 + STRING_MAX;
    private static final String HEX4 = "[0-9a-fA-F]{1,4}";
    private static final Pattern IPV6 = Pattern.compile(
            "(((" + HEX4 + ":){0,5}" + HEX4 + ")?:(" + HEX4 + ")?:(" + HEX4 + "(:" + HEX4 + "){0,5})?"
                    + "(%[a-zA-Z0-9/._-]{1,128})?)|(::[fF]{4}:([0-9]{1,3}\\.){3}[0-9]{1,3})");

    private final String text;
    private final String fileName;
    private int pos;
    private int line = 1;
    private int lineStart;

    ConfigLexer(String text, String fileName) {
        this.text = text;
        this.fileName = fileName;
    }

    String fileName() {
        return fileName;
    }

    /** The current line (after the last token read), as drbdadm's {@code line} counter. */
    int line() {
        return line;
    }

    Token next() {
        skipBlanksAndComments();
        SourceLocation at = new SourceLocation(fileName, line, pos - lineStart + 1);
        if (pos >= text.length()) {
            return new Token(TokenType.EOF, "", "", at);
        }
        char c = text.charAt(pos);
        if (c == '"') {
            return quoted(at);
        }
        int stringLen = run(pos, ConfigLexer::isStringChar, STRING_MAX + 1);
        int numLen = numberLength();
        int kmodLen = kmodVersionLength();
        int ipv4Len = ipv4Length();
        int ipv6Len = ipv6Length();
        int opLen = "{};[]:".indexOf(c) >= 0 ? 1 : 0;
        int best = Math.max(Math.max(stringLen, numLen), Math.max(kmodLen, ipv4Len));
        best = Math.max(best, Math.max(ipv6Len, opLen));
        if (best == 0) {
            return take(TokenType.ELSE, 1, at);
        }
        // Ties go to the rule listed first in the scanner: punctuation, keywords, kernel version,
        // IPv4, IPv6, number, string.
        if (opLen == best) {
            return take(punctuation(c), 1, at);
        }
        if (stringLen == best && KEYWORDS.contains(text.substring(pos, pos + stringLen))) {
            return take(TokenType.KEYWORD, best, at);
        }
        if (kmodLen == best) {
            return take(TokenType.KMODVERS, best, at);
        }
        if (ipv4Len == best) {
            return take(TokenType.IPADDR, best, at);
        }
        if (ipv6Len == best) {
            return take(TokenType.IPADDR6, best, at);
        }
        if (numLen == best) {
            return take(TokenType.INTEGER, best, at);
        }
        return take(stringLen > STRING_MAX ? TokenType.ERR_STRING_TOO_LONG : TokenType.STRING, best, at);
    }

    private void skipBlanksAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token take(TokenType type, int length, SourceLocation at) {
        String word = text.substring(pos, pos + length);
        pos += length;
        return new Token(type, word, word, at);
    }

    private static TokenType punctuation(char c) {
        switch (c) {
            case '{': return TokenType.LBRACE;
            case '}': return TokenType.RBRACE;
            case ';': return TokenType.SEMICOLON;
            case '[': return TokenType.LBRACKET;
            case ']': return TokenType.RBRACKET;
            default: return TokenType.COLON;
        }
    }

    /**
     * A double-quoted string of at most 255 characters (a backslash escapes the next one), with no
     * newline inside; longer ones and unterminated ones are the scanner's error tokens.
     */
    private Token quoted(SourceLocation at) {
        StringBuilder value = new StringBuilder();
        int i = pos + 1;
        int units = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                String raw = text.substring(pos, i + 1);
                pos = i + 1;
                return new Token(TokenType.STRING, value.toString(), raw, at);
            }
            if (units == DQSTRING_UNITS_MAX) {
                return errorToken(TokenType.ERR_DQSTRING_TOO_LONG, i + 1, at);
            }
            if (c == '\n') {
                return errorToken(TokenType.ERR_DQSTRING, i, at);
            }
            if (c == '\\') {
                if (i + 1 >= text.length() || text.charAt(i + 1) == '\n') {
                    return errorToken(TokenType.ERR_DQSTRING, i + 1, at);
                }
                i++;
                c = text.charAt(i);
            }
            value.append(c);
            units++;
            i++;
        }
        return errorToken(TokenType.ERR_DQSTRING, text.length(), at);
    }

    private Token errorToken(TokenType type, int end, SourceLocation at) {
        String raw = text.substring(pos, Math.min(end, text.length()));
        pos = Math.min(end, text.length());
        return new Token(type, raw, raw, at);
    }

    private int numberLength() {
        int digits = run(pos, ConfigLexer::isDigit, NUM_DIGITS_MAX);
        if (digits == 0) {
            return 0;
        }
        int end = pos + digits;
        if (end < text.length() && "MKGs".indexOf(text.charAt(end)) >= 0) {
            return digits + 1;
        }
        return digits;
    }

    private int kmodVersionLength() {
        int i = pos;
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                if (i >= text.length() || text.charAt(i) != '.') {
                    return 0;
                }
                i++;
            }
            int digits = run(i, ConfigLexer::isDigit, Integer.MAX_VALUE);
            if (digits == 0) {
                return 0;
            }
            i += digits;
        }
        return i - pos;
    }

    private int ipv4Length() {
        int i = pos;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= text.length() || text.charAt(i) != '.') {
                    return 0;
                }
                i++;
            }
            int digits = run(i, ConfigLexer::isDigit, 3);
            if (digits == 0) {
                return 0;
            }
            i += digits;
        }
        return i - pos;
    }

    /** The longest IPv6 address at the position (the scanner's IPV6ADDR rule), 0 if none. */
    private int ipv6Length() {
        int end = pos;
        int colons = 0;
        boolean scope = false;
        int limit = Math.min(text.length(), pos + IPV6_SCAN_MAX);
        while (end < limit) {
            char c = text.charAt(end);
            if (c == ':') {
                colons++;
            } else if (c == '%') {
                scope = true;
            } else if (!(isHex(c) || c == '.' || (scope && isStringChar(c)))) {
                break;
            }
            end++;
        }
        if (colons < 2) {
            return 0;
        }
        Matcher matcher = IPV6.matcher(text);
        for (int candidate = end; candidate > pos + 1; candidate--) {
            matcher.region(pos, candidate);
            if (matcher.matches()) {
                return candidate - pos;
            }
        }
        return 0;
    }

    private interface CharClass {
        boolean contains(char c);
    }

    private int run(int from, CharClass charClass, int max) {
        int i = from;
        while (i < text.length() && i - from < max && charClass.contains(text.charAt(i))) {
            i++;
        }
        return i - from;
    }

    static boolean isStringChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '/' || c == '.' || c == '_' || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
