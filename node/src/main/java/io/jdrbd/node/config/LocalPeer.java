package io.jdrbd.node.config;

import java.util.List;

/**
 * One peer of a resource as the local host sees it: the peer's host section, the connection, the
 * paths as (local address, peer address) pairs, and the effective net settings.
 */
public record LocalPeer(Host host, Connection connection, List<PathAddresses> paths, NetSettings net) {

    public LocalPeer {
        paths = List.copyOf(paths);
    }

    /** One path: where this host listens and where the peer is reached (or its proxies, if any). */
    public record PathAddresses(Address local, Address peer, ProxyOn localProxy, ProxyOn peerProxy) {
    }
}
