package io.jdrbd.node.config;

import java.util.List;

/** {@code connection-mesh { hosts A B C; net { ... } }}: a connection between every pair of the hosts. */
public record Mesh(List<String> hosts, OptionList net) {

    public Mesh {
        hosts = List.copyOf(hosts);
    }
}
