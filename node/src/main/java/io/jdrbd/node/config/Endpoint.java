package io.jdrbd.node.config;

/**
 * One side of a connection path: {@code host NAME [address ADDR | port PORT] [via proxy on ...];},
 * {@code address ADDR;}, or a side drbdadm made up for an implicit connection.
 *
 * @param hostName the host section this side belongs to
 * @param address the effective address (written here, or taken from the host section), or null
 * @param parsedAddress an address was written in this statement
 * @param parsedPort only a port was written in this statement
 * @param byAddress written as {@code address ADDR;} without a host name
 * @param fakedHostname drbdadm invented the name (implicit connection of a stacked resource)
 * @param proxy {@code via proxy on ...}, or the 8.4-style proxy of the host section, or null
 */
public record Endpoint(String hostName, Address address, boolean parsedAddress, boolean parsedPort,
                       boolean byAddress, boolean fakedHostname, ProxyOn proxy, SourceLocation definedAt) {
}
