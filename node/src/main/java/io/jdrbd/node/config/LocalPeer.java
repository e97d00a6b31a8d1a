package io.jdrbd.node.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One peer of a resource as the local host sees it: the peer's host section, the connection, the
 * paths as (local address, peer address) pairs, the effective net settings, and the effective
 * peer-device options per volume number.
 */
public record LocalPeer(Host host, Connection connection, List<PathAddresses> paths, NetSettings net,
                        Map<Integer, OptionList> peerDeviceOptions) {

    public LocalPeer {
        paths = List.copyOf(paths);
        peerDeviceOptions = Collections.unmodifiableMap(new TreeMap<>(peerDeviceOptions));
    }

    /** The effective peer-device options (resync-rate, c-*, bitmap) of volume {@code volume} towards this peer. */
    public OptionList peerDeviceOptions(int volume) {
        return peerDeviceOptions.getOrDefault(volume, OptionList.EMPTY);
    }

    /** One path: where this host listens and where the peer is reached (or its proxies, if any). */
    public record PathAddresses(Address local, Address peer, ProxyOn localProxy, ProxyOn peerProxy) {
    }
}
