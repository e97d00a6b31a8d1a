package io.jdrbd.node.config;

/**
 * The token classes of drbdadm's scanner (drbdadm_scanner.fl): punctuation, keywords, numbers,
 * addresses and strings. Keywords are recognised only when the whole word matches.
 */
enum TokenType {
    LBRACE, RBRACE, SEMICOLON, LBRACKET, RBRACKET, COLON,
    KEYWORD,
    KMODVERS,
    IPADDR,
    IPADDR6,
    INTEGER,
    STRING,
    ERR_STRING_TOO_LONG,
    ERR_DQSTRING_TOO_LONG,
    ERR_DQSTRING,
    ELSE,
    EOF
}
