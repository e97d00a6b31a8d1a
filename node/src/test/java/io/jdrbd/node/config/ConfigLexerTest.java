package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLexerTest {

    private static List<Token> tokens(String text) {
        ConfigLexer lexer = new ConfigLexer(text, "t.res");
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Token token = lexer.next();
            if (token.is(TokenType.EOF)) {
                return tokens;
            }
            tokens.add(token);
        }
        throw new AssertionError("lexer did not reach the end");
    }

    private static List<TokenType> types(String text) {
        return tokens(text).stream().map(Token::type).toList();
    }

    @Test
    void longestMatchDecidesBetweenKeywordsNumbersAddressesAndStrings() {
        assertThat(types("on online 7789 10.0.0.1 1.2.3 40M 40Q 123456789"))
                .containsExactly(TokenType.KEYWORD, TokenType.STRING, TokenType.INTEGER, TokenType.IPADDR,
                        TokenType.KMODVERS, TokenType.INTEGER, TokenType.STRING, TokenType.STRING);
    }

    @Test
    void ipv6AddressesAreOneTokenAndThePortColonIsPunctuation() {
        List<Token> tokens = tokens("ipv6 [fd00:1::10]:7050; [::1] [fe80::1%eth0] [::ffff:10.0.0.1]");
        assertThat(tokens.stream().map(Token::text).toList()).containsExactly("ipv6", "[", "fd00:1::10", "]", ":",
                "7050", ";", "[", "::1", "]", "[", "fe80::1%eth0", "]", "[", "::ffff:10.0.0.1", "]");
        assertThat(tokens.get(2).type()).isEqualTo(TokenType.IPADDR6);
    }

    @Test
    void quotedStringsAreUnescapedAndCommentsSkipped() {
        List<Token> tokens = tokens("a \"x \\\"y\\\" \\\\z\" # comment \"not a string\nb");
        assertThat(tokens.stream().map(Token::text).toList()).containsExactly("a", "x \"y\" \\z", "b");
        assertThat(tokens.get(1).type()).isEqualTo(TokenType.STRING);
    }

    @Test
    void tokensKnowTheirLineAndColumn() {
        List<Token> tokens = tokens("resource r0 {\n\tnet {\n  }\n}");
        assertThat(tokens.get(3).location()).isEqualTo(new SourceLocation("t.res", 2, 2));
        assertThat(tokens.get(5).location()).isEqualTo(new SourceLocation("t.res", 3, 3));
    }

    @Test
    void unterminatedAndOverlongTokensAreErrorTokens() {
        assertThat(types("\"abc\ndef")).first().isEqualTo(TokenType.ERR_DQSTRING);
        assertThat(types("\"" + "x".repeat(300) + "\"")).first().isEqualTo(TokenType.ERR_DQSTRING_TOO_LONG);
        assertThat(types("y".repeat(200))).first().isEqualTo(TokenType.ERR_STRING_TOO_LONG);
        assertThat(types("\u00e9 +")).containsExactly(TokenType.ELSE, TokenType.ELSE);
    }
}
