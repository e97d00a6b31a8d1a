package io.jdrbd.node.config;

/**
 * A drbd.conf file that drbdadm would refuse: says what is wrong and where. The message starts with
 * {@code FILE:LINE[:COLUMN]: } like drbdadm's, and is one line.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;
    private final String problem;

    public ConfigException(SourceLocation location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    /** Where the problem was found. */
    public SourceLocation location() {
        return location;
    }

    /** What is wrong, without the location prefix. */
    public String problem() {
        return problem;
    }
}
