package io.jdrbd.node.config;

import java.util.List;

/**
 * A resource as one host runs it: its own host section, its volumes with effective disk options,
 * its peers, and the resource's sections with common's inherited.
 */
public record LocalResource(Resource resource, Host me, List<LocalVolume> volumes, List<LocalPeer> peers,
                            Sections sections) {

    public LocalResource {
        volumes = List.copyOf(volumes);
        peers = List.copyOf(peers);
    }

    public String name() {
        return resource.name();
    }

    public int nodeId() {
        return me.nodeId();
    }

    /** A local volume with its disk options after inheritance (resource, common). */
    public record LocalVolume(Volume volume, OptionList diskOptions, OptionList peerDeviceOptions) {
    }
}
