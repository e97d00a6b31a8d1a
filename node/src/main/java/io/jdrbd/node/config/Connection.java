package io.jdrbd.node.config;

import java.util.List;

/**
 * A connection between two hosts of a resource: written as {@code connection { }}, or implicit
 * (drbdadm's connection between the two hosts of a resource without connection sections, or one of
 * the connections a {@code connection-mesh} stands for).
 */
public record Connection(String name, boolean implicit, List<ConnectionPath> paths, OptionList net,
                         OptionList peerDeviceOptions, List<PeerDeviceSection> volumes, boolean standalone,
                         SourceLocation definedAt) {

    public Connection {
        paths = List.copyOf(paths);
        volumes = List.copyOf(volumes);
    }

    /** The host names at the two ends, as named by the first path. */
    public List<String> hostNames() {
        return paths.get(0).endpoints().stream().map(Endpoint::hostName).toList();
    }
}
