package io.jdrbd.node.config;

import java.util.List;

/** A path of a connection: two endpoints (a connection may have several paths). */
public record ConnectionPath(boolean implicit, List<Endpoint> endpoints, SourceLocation definedAt) {

    public ConnectionPath {
        endpoints = List.copyOf(endpoints);
    }
}
