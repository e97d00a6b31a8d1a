package io.jdrbd.node.config;

/**
 * The parser's view of one file's tokens: the current token, reading the next, and drbdadm's
 * wording for "expected X but got Y".
 */
final class TokenReader {

    private static final int SHOWN_TEXT_MAX = 20;

    private final ConfigLexer lexer;
    private Token current;

    TokenReader(ConfigLexer lexer) {
        this.lexer = lexer;
    }

    String fileName() {
        return lexer.fileName();
    }

    Token next() {
        current = lexer.next();
        return current;
    }

    Token current() {
        return current;
    }

    /** The location of the current token, where drbdadm would report a problem with it. */
    SourceLocation here() {
        return current == null ? new SourceLocation(lexer.fileName(), lexer.line(), 0) : current.location();
    }

    /** Reads the next token, which must be of {@code type}. */
    Token expect(TokenType type) throws ConfigException {
        Token token = next();
        if (!token.is(type)) {
            if (type == TokenType.STRING) {
                checkStringError(token);
            }
            throw expected(describe(type));
        }
        return token;
    }

    /** Reads the next token, which must be {@code keyword}. */
    Token expectKeyword(String keyword) throws ConfigException {
        Token token = next();
        if (!token.isKeyword(keyword)) {
            throw expected(keyword);
        }
        return token;
    }

    /** drbdadm's "Parse error: 'X' expected, but got 'Y'" for the current token. */
    ConfigException expected(String what) {
        String got = current == null ? "" : current.text();
        String shown = got.length() > SHOWN_TEXT_MAX ? got.substring(0, SHOWN_TEXT_MAX) + "..." : got;
        return new ConfigException(here(), "Parse error: '" + what + "' expected, but got '" + printable(shown) + "'");
    }

    /** Fails for the scanner's error tokens (too long, unterminated string), as drbdadm does. */
    void checkStringError(Token token) throws ConfigException {
        String problem;
        switch (token.type()) {
            case ERR_STRING_TOO_LONG: problem = "Token too long"; break;
            case ERR_DQSTRING_TOO_LONG: problem = "Double quoted string too long"; break;
            case ERR_DQSTRING: problem = "Unterminated double quoted string (we don't allow embedded newlines)"; break;
            default: return;
        }
        String text = token.raw();
        String shown = text.length() > SHOWN_TEXT_MAX ? text.substring(0, SHOWN_TEXT_MAX) : text;
        throw new ConfigException(token.location(), problem + " >>>" + printable(shown) + "...<<<");
    }

    static String describe(TokenType type) {
        switch (type) {
            case LBRACE: return "{";
            case RBRACE: return "}";
            case SEMICOLON: return ";";
            case LBRACKET: return "[";
            case RBRACKET: return "]";
            case COLON: return ":";
            default: return "TK_" + type.name();
        }
    }

    /** Control characters shown as {@code \xNN}, so a message stays on one line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
