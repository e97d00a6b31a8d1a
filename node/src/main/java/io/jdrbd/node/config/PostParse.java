package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.ConnectionDraft;
import io.jdrbd.node.config.Drafts.EndpointDraft;
import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.PathDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;
import io.jdrbd.node.config.Drafts.VolumeDraft;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What drbdadm does after parsing and before any command (drbdadm_postparse.c): resource-level
 * volumes are inherited by every host, volumes are checked for completeness, stacked resources
 * learn their hosts, implicit connections are made (two hosts without connection sections, and
 * every pair of a mesh), endpoints learn their addresses, two-host resources get node ids from
 * their addresses, and addresses must not be shared between resources.
 */
final class PostParse {

    /** Seed of drbdadm's address hash for implicit node ids. */
    private static final int NODE_ID_HASH_SEED = 0x1a656f21;

    private final ParseContext context;

    PostParse(ParseContext context) {
        this.context = context;
    }

    void run() throws ConfigException {
        for (ResourceDraft res : context.resources) {
            volumes(res);
        }
        for (ResourceDraft res : context.resources) {
            if (res.stackedOnOne) {
                stackedHosts(res);
            }
        }
        for (ResourceDraft res : context.resources) {
            for (ConnectionDraft conn : res.connections) {
                for (PathDraft path : conn.paths) {
                    if (path.endpoints.size() != 2) {
                        throw new ConfigException(path.definedAt, "Resource " + res.name + ": "
                                + (path.implicit ? "connection" : "path") + " needs to have two endpoints");
                    }
                }
            }
            Connections.fromMeshes(res);
            Connections.implicit(res);
            for (ConnectionDraft conn : res.connections) {
                for (PathDraft path : conn.paths) {
                    endpointsAndNodeIds(res, conn, path);
                }
            }
            for (HostDraft host : res.hosts) {
                if (host.nodeId == null) {
                    throw missing(res, host, "node-id");
                }
            }
        }
        Connections.checkAddressConflicts(context.resources);
        for (ResourceDraft res : context.resources) {
            Connections.implicitPeerDevices(res);
        }
    }

    private void volumes(ResourceDraft res) throws ConfigException {
        boolean anyImplicit = false;
        boolean anyNonZero = false;
        for (HostDraft host : res.hosts) {
            inheritVolumes(res.volumes, host);
            for (VolumeDraft vol : host.volumes) {
                anyImplicit |= vol.implicit;
                anyNonZero |= vol.number != 0;
                if (vol.metaDisk != null && !vol.metaDisk.equals("internal")) {
                    for (String name : host.names) {
                        context.unique("meta-disk", name + ":" + vol.metaDisk + "[" + vol.metaIndex + "]",
                                locationOf(vol.metaDiskAt, vol));
                    }
                }
            }
            if (host.requireMinor) {
                for (VolumeDraft vol : host.volumes) {
                    checkComplete(res, host, vol);
                }
            }
        }
        if (!res.hosts.isEmpty()) {
            HostDraft first = res.hosts.get(0);
            for (HostDraft other : res.hosts) {
                checkSameVolumes(res, first, other);
            }
        }
        if (anyImplicit && anyNonZero) {
            throw new ConfigException(res.definedAt,
                    "in resource " + res.name + ": you must not mix implicit and explicit volumes");
        }
    }

    private static SourceLocation locationOf(SourceLocation statement, VolumeDraft vol) {
        return statement != null ? statement : vol.definedAt;
    }

    /** Copies what a host's volume does not set from the resource-level volume of the same number. */
    private void inheritVolumes(List<VolumeDraft> from, HostDraft host) throws ConfigException {
        for (VolumeDraft source : from) {
            VolumeDraft target = host.volumes.stream().filter(v -> v.number == source.number).findFirst()
                    .orElse(null);
            if (target == null) {
                target = new VolumeDraft();
                target.number = source.number;
                target.implicit = source.implicit;
                target.definedAt = source.definedAt;
                target.deviceAt = source.deviceAt;
                target.diskAt = source.diskAt;
                target.metaDiskAt = source.metaDiskAt;
                Drafts.insertVolume(host.volumes, target);
            }
            if (target.disk == null && source.disk != null) {
                target.disk = source.disk;
                for (String name : host.names) {
                    context.unique("disk", "disk:" + name + ":" + target.disk, locationOf(target.diskAt, target));
                }
            }
            if (target.device == null && source.device != null) {
                target.device = source.device;
            }
            if (target.minor == -1 && source.minor != -1) {
                target.minor = source.minor;
                for (String name : host.names) {
                    SourceLocation at = locationOf(target.deviceAt, target);
                    context.unique("device-minor", "device-minor:" + name + ":" + target.minor, at);
                    if (target.device != null) {
                        context.unique("device", "device:" + name + ":" + target.device, at);
                    }
                }
            }
            if (target.metaDisk == null && source.metaDisk != null) {
                target.metaDisk = source.metaDisk;
                if (source.metaIndex != null) {
                    target.metaIndex = source.metaIndex;
                }
            }
        }
    }

    private static void checkComplete(ResourceDraft res, HostDraft host, VolumeDraft vol) throws ConfigException {
        if (vol.device == null && vol.minor == -1) {
            throw missing(res, host, "device");
        }
        if (vol.disk == null && vol.metaDisk == null && vol.metaIndex == null) {
            return;
        }
        if (vol.disk != null && vol.disk.equals("none")) {
            return;
        }
        if (vol.disk == null) {
            throw missing(res, host, "disk");
        }
        if (vol.metaDisk == null && vol.metaIndex == null) {
            vol.metaDisk = "internal"; // a disk without meta-disk has internal meta data
            vol.metaIndex = "internal";
        } else if (vol.metaDisk == null) {
            throw missing(res, host, "meta-disk");
        } else if (vol.metaIndex == null) {
            throw missing(res, host, "meta-index");
        }
    }

    static ConfigException missing(ResourceDraft res, HostDraft host, String keyword) {
        return new ConfigException(host.definedAt, "in resource " + res.name + ", on " + host.displayName()
                + " { ... }: '" + keyword + "' keyword missing.");
    }

    private static void checkSameVolumes(ResourceDraft res, HostDraft a, HostDraft b) throws ConfigException {
        if (a == b) {
            return;
        }
        for (VolumeDraft va : a.volumes) {
            VolumeDraft vb = b.volumes.stream().filter(v -> v.number == va.number).findFirst().orElse(null);
            if (vb == null) {
                throw new ConfigException(b.definedAt, "in resource " + res.name + ", on " + a.displayName()
                        + " { ... }: volume " + va.number + " not defined on " + b.displayName());
            }
            if (va.implicit != vb.implicit) {
                throw new ConfigException(b.definedAt, "in resource " + res.name + ", on " + a.displayName()
                        + " resp. " + b.displayName() + ": volume " + va.number
                        + " must not be implicit on one but not the other");
            }
        }
        for (VolumeDraft vb : b.volumes) {
            if (a.volumes.stream().noneMatch(v -> v.number == vb.number)) {
                throw new ConfigException(b.definedAt, "in resource " + res.name + ", on " + a.displayName()
                        + " { ... }: volume " + vb.number + " missing (present on " + b.displayName() + ")");
            }
        }
    }

    /** A stacked-on-top-of section runs on the hosts of the lower resource. */
    private void stackedHosts(ResourceDraft res) throws ConfigException {
        for (HostDraft host : res.hosts) {
            if (host.lowerName == null) {
                continue;
            }
            ResourceDraft lower = context.resources.stream().filter(r -> r.name.equals(host.lowerName)).findFirst()
                    .orElseThrow(() -> new ConfigException(res.definedAt, "in resource " + res.name
                            + ", referenced resource '" + host.lowerName + "' not defined."));
            for (HostDraft lowerHost : lower.hosts) {
                if (lowerHost.lowerName != null) {
                    continue;
                }
                host.names.addAll(lowerHost.names);
                for (String name : lowerHost.names) {
                    for (VolumeDraft vol : host.volumes) {
                        SourceLocation at = locationOf(vol.deviceAt, vol);
                        context.unique("device-minor", "device-minor:" + name + ":"
                                + Integer.toUnsignedString(vol.minor), at);
                        if (vol.device != null) {
                            context.unique("device", "device:" + name + ":" + vol.device, at);
                        }
                    }
                }
            }
            host.lower = lower;
        }
    }

    /**
     * Gives each endpoint the host section it names and the address (and port) it lacks from that
     * section; for the implicit connection of a two-host resource without node ids, derives the
     * node ids from the two addresses as drbdadm does (8.4 compatibility).
     */
    private void endpointsAndNodeIds(ResourceDraft res, ConnectionDraft conn, PathDraft path) throws ConfigException {
        int[] hashes = new int[2];
        HostDraft[] hosts = new HostDraft[2];
        int known = 0;
        for (EndpointDraft ep : path.endpoints) {
            HostDraft host;
            if (ep.host != null) {
                host = ep.host;
                if (host.address == null) {
                    throw new ConfigException(res.definedAt, "\"connection-mesh\" (for \"" + res.name
                            + "\") with a host (\"" + ep.name + "\") that has no \"address\" defined");
                }
                hashes[known] = Crc32c.update(NODE_ID_HASH_SEED,
                        host.address.host().getBytes(StandardCharsets.ISO_8859_1));
                hosts[known++] = host;
            } else if (ep.byAddress) {
                host = Connections.hostByAddress(res, ep.address);
                ep.name = host == null ? "UNKNOWN" : String.join("_", host.names);
            } else {
                host = Connections.hostByName(res, ep);
            }
            if (host == null && ep.name.equals("_remote_host")) {
                if (conn.peerNode == null) {
                    continue;
                }
                host = conn.peerNode;
            }
            if (host == null) {
                throw new ConfigException(ep.definedAt, "in resource " + res.name + " a hostname (\"" + ep.name
                        + "\") is given with a \"host\" keyword, has no \"address\" keyword, and no matching"
                        + " host section (\"on\" keyword)");
            }
            ep.host = host;
            completeAddress(res, ep, host);
        }
        if (conn.implicit && known == 2 && hosts[0].nodeId == null && hosts[1].nodeId == null) {
            if (!assignNodeIds(hashes, hosts)) {
                known = 0;
                for (EndpointDraft ep : path.endpoints) {
                    if (ep.host == null) {
                        continue;
                    }
                    if (ep.proxy == null) {
                        break;
                    }
                    hashes[known++] = Crc32c.update(NODE_ID_HASH_SEED,
                            ep.proxy.outside.host().getBytes(StandardCharsets.ISO_8859_1));
                }
                if (known < 2 || !assignNodeIds(hashes, hosts)) {
                    throw new ConfigException(res.definedAt, "in resource " + res.name
                            + ": cannot derive node ids, both hosts have the same address; set node-id explicitly");
                }
            }
        }
    }

    private static boolean assignNodeIds(int[] hashes, HostDraft[] hosts) {
        if (hashes[0] == hashes[1]) {
            return false;
        }
        // drbdadm compares the hashes as signed C ints
        hosts[0].nodeId = hashes[0] > hashes[1] ? "0" : "1";
        hosts[1].nodeId = hashes[0] > hashes[1] ? "1" : "0";
        return true;
    }

    private static void completeAddress(ResourceDraft res, EndpointDraft ep, HostDraft host) throws ConfigException {
        if (ep.address != null) {
            return;
        }
        Address hostAddress = host.address;
        String port = ep.port != null ? ep.port : hostAddress == null ? null : hostAddress.port();
        if (hostAddress == null || port == null) {
            String what = hostAddress == null ? (port == null ? "address and port" : "address") : "port";
            throw new ConfigException(ep.definedAt, "Resource " + res.name + ", host " + ep.name
                    + ": cannot determine which " + what + " to use");
        }
        ep.address = new Address(hostAddress.family(), hostAddress.host(), port);
    }
}
