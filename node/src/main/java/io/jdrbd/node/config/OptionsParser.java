package io.jdrbd.node.config;

import java.util.Map;

/**
 * Parses the body of an option section ({@code name value;} or {@code name;} lines up to the
 * closing brace) against an option table, checking every value as drbdadm does.
 */
final class OptionsParser {

    /** Handles a word the table does not know (drbdadm's "delegate"), or reports it. */
    interface Delegate {
        void unknown(Token word) throws ConfigException;
    }

    private final TokenReader in;

    OptionsParser(TokenReader in) {
        this.in = in;
    }

    /** Reads options up to the closing brace into {@code into}; unknown words fail with the table's names. */
    void parse(Map<String, OptionDef> table, Drafts.Options into) throws ConfigException {
        parse(table, into, word -> {
            throw in.expected(String.join(" | ", table.keySet()));
        });
    }

    void parse(Map<String, OptionDef> table, Drafts.Options into, Delegate delegate) throws ConfigException {
        while (true) {
            Token word = in.next();
            if (word.is(TokenType.RBRACE)) {
                return;
            }
            if (word.is(TokenType.EOF)) {
                throw in.expected("}");
            }
            boolean negated = word.text().startsWith("no-");
            OptionDef def = table.get(negated ? word.text().substring(3) : word.text());
            if (def == null) {
                delegate.unknown(word);
                continue;
            }
            into.add(def.name(), value(def, negated));
        }
    }

    /**
     * Reads the value after an option name and the closing semicolon. A bare {@code name;} means
     * yes ({@code no-name;} means no), whatever the option's type, as in drbdadm.
     */
    String value(OptionDef def, boolean negated) throws ConfigException {
        Token token = in.next();
        if (token.is(TokenType.SEMICOLON)) {
            return negated ? "no" : "yes";
        }
        if (token.is(TokenType.EOF)) {
            throw in.expected(";");
        }
        String value = token.text();
        if (!def.checkedAfterParsing()) {
            String problem = def.check(value);
            if (problem != null) {
                throw new ConfigException(token.location(), valueProblem(def, value, problem));
            }
        }
        in.expect(TokenType.SEMICOLON);
        return value;
    }

    private static String valueProblem(OptionDef def, String value, String problem) {
        String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
        String message = "Parse error: while parsing value ('" + TokenReader.printable(shown) + "') for "
                + def.name() + ". Value is " + problem + ".";
        if (problem.equals("not valid") && def.kind() != OptionDef.Kind.ENUM_NUM) {
            message += " Allowed values are: " + String.join(" | ", def.symbols());
        } else if (problem.equals("too long")) {
            message += " max len: " + (def.maxLength() - 1);
        }
        return message;
    }
}
