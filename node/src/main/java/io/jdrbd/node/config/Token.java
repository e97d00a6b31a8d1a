package io.jdrbd.node.config;

/**
 * One token: its class, its text (keywords and punctuation as written; double-quoted strings
 * unescaped, without quotes), the raw text as written in the file, and where it starts.
 */
record Token(TokenType type, String text, String raw, SourceLocation location) {

    boolean is(TokenType expected) {
        return type == expected;
    }

    boolean isKeyword(String keyword) {
        return type == TokenType.KEYWORD && text.equals(keyword);
    }

    int line() {
        return location.line();
    }
}
