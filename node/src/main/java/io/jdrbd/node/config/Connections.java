package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.ConnectionDraft;
import io.jdrbd.node.config.Drafts.EndpointDraft;
import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.MeshDraft;
import io.jdrbd.node.config.Drafts.PathDraft;
import io.jdrbd.node.config.Drafts.PeerDeviceDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;
import io.jdrbd.node.config.Drafts.VolumeDraft;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** drbdadm's rules for connections that are not written out, and for addresses across resources. */
final class Connections {

    private Connections() {
    }

    /** A resource without connection sections and with exactly two hosts has one implicit connection. */
    static void implicit(ResourceDraft res) {
        if (!res.connections.isEmpty()) {
            return;
        }
        if (res.hosts.size() != 2) {
            return; // more hosts need connection sections or a mesh (drbdadm only warns)
        }
        ConnectionDraft conn = new ConnectionDraft();
        conn.implicit = true;
        conn.definedAt = res.definedAt;
        PathDraft path = new PathDraft();
        path.implicit = true;
        path.definedAt = res.definedAt;
        conn.paths.add(path);
        for (HostDraft host : res.hosts) {
            if (host.address == null) {
                continue;
            }
            EndpointDraft ep = new EndpointDraft();
            ep.host = host;
            ep.proxy = host.proxy;
            ep.definedAt = host.definedAt;
            if (host.lowerName == null) {
                ep.name = host.names.get(0);
            } else {
                ep.name = String.join("_", host.names);
                ep.address = host.address;
                ep.fakedHostname = true;
                ep.parsedAddress = true; // as drbdadm: not true, but it makes the dump nicer
            }
            path.endpoints.add(ep);
        }
        res.connections.add(conn);
    }

    /** A mesh stands for a connection between each pair of its hosts. */
    static void fromMeshes(ResourceDraft res) throws ConfigException {
        for (MeshDraft mesh : res.meshes) {
            for (int i = 0; i < mesh.hosts.size(); i++) {
                HostDraft first = meshHost(res, mesh.hosts.get(i));
                for (int j = i + 1; j < mesh.hosts.size(); j++) {
                    HostDraft second = meshHost(res, mesh.hosts.get(j));
                    if (first == second) {
                        continue;
                    }
                    ConnectionDraft conn = new ConnectionDraft();
                    conn.implicit = true;
                    conn.definedAt = res.definedAt;
                    // inherited from the mesh the way drbdadm inherits: each in front, so in reverse order
                    for (Option option : mesh.net.list) {
                        conn.net.list.add(0, option);
                    }
                    PathDraft path = new PathDraft();
                    path.implicit = true;
                    path.definedAt = res.definedAt;
                    path.endpoints.add(meshEndpoint(first));
                    path.endpoints.add(meshEndpoint(second));
                    conn.paths.add(path);
                    res.connections.add(conn);
                }
            }
        }
    }

    private static EndpointDraft meshEndpoint(HostDraft host) {
        EndpointDraft ep = new EndpointDraft();
        ep.host = host;
        ep.name = host.names.get(0);
        ep.definedAt = host.definedAt;
        return ep;
    }

    private static HostDraft meshHost(ResourceDraft res, String name) throws ConfigException {
        HostDraft host = res.hosts.stream().filter(h -> h.isNamed(name)).findFirst().orElse(null);
        if (host == null) {
            throw new ConfigException(res.definedAt, "in resource " + res.name
                    + ": There is no 'on' section for hostname '" + name + "' named in the connection-mesh");
        }
        if (host.proxy != null) {
            throw new ConfigException(host.definedAt, "in resource " + res.name
                    + ": There is a drbd-8.x proxy config syntax within an 'on' section and you are using the"
                    + " 'mesh' keyword from drbd-9.x syntax. That does not work together.");
        }
        return host;
    }

    static HostDraft hostByName(ResourceDraft res, EndpointDraft ep) {
        for (HostDraft host : res.hosts) {
            if (ep.fakedHostname ? ep.name.equals(String.join("_", host.names)) : host.isNamed(ep.name)) {
                return host;
            }
        }
        return null;
    }

    static HostDraft hostByAddress(ResourceDraft res, Address address) {
        for (HostDraft host : res.hosts) {
            Address a = host.address;
            if (a != null && a.host().equals(address.host()) && a.family().equals(address.family())
                    && a.port().equals(address.port())) {
                return host;
            }
        }
        return null;
    }

    /**
     * An address (family, IP, port) may be used by several connections of one resource but by no
     * other resource, and the two ends of a path must differ. Loopback addresses are exempt.
     */
    static void checkAddressConflicts(List<ResourceDraft> resources) throws ConfigException {
        Map<String, Object[]> used = new HashMap<>();
        for (ResourceDraft res : resources) {
            for (ConnectionDraft conn : res.connections) {
                for (PathDraft path : conn.paths) {
                    String[] keys = new String[2];
                    int nonLocal = 0;
                    for (EndpointDraft ep : path.endpoints) {
                        Address address = ep.address != null ? ep.address : ep.host == null ? null : ep.host.address;
                        if (address == null || isLoopback(address)) {
                            continue;
                        }
                        String key = key(address);
                        Object[] first = used.putIfAbsent(key, new Object[] {res, ep});
                        if (first != null && first[0] != res) {
                            ResourceDraft other = (ResourceDraft) first[0];
                            EndpointDraft otherEp = (EndpointDraft) first[1];
                            throw new ConfigException(ep.definedAt, "in resource " + res.name + " "
                                    + address.family() + ":" + address.host() + ":" + address.port()
                                    + " is also used " + otherEp.definedAt + " (resource " + other.name + ")");
                        }
                        if (nonLocal < 2) {
                            keys[nonLocal++] = key;
                        }
                    }
                    if (nonLocal == 2 && keys[0].equals(keys[1])) {
                        throw new ConfigException(conn.definedAt, "in resource " + res.name + " " + keys[0]
                                + " is used for both endpoints");
                    }
                }
            }
        }
    }

    private static String key(Address address) {
        return address.family() + ":" + canonicalIp(address) + ":" + address.port();
    }

    private static String canonicalIp(Address address) {
        if (address.family().equals("ipv4")) {
            String[] parts = address.host().split("\\.");
            StringBuilder out = new StringBuilder();
            for (String part : parts) {
                int value = Integer.parseInt(part); // the lexer allows 1 to 3 digits only
                if (value > 255) {
                    return address.host();
                }
                out.append(out.length() == 0 ? "" : ".").append(value);
            }
            return out.toString();
        }
        if (address.family().equals("ipv6") && address.host().indexOf('%') < 0) {
            try {
                // a literal containing ':' is parsed, never looked up in DNS
                return InetAddress.getByName(address.host()).getHostAddress();
            } catch (UnknownHostException | SecurityException e) {
                return address.host();
            }
        }
        return address.host();
    }

    private static boolean isLoopback(Address address) {
        if (address.family().equals("ipv4")) {
            return canonicalIp(address).startsWith("127.");
        }
        return address.family().equals("ipv6") && canonicalIp(address).equals("0:0:0:0:0:0:0:1");
    }

    /** Every volume gets a peer device in every connection; explicit ones must name known volumes. */
    static void implicitPeerDevices(ResourceDraft res) throws ConfigException {
        for (ConnectionDraft conn : res.connections) {
            if (conn.paths.isEmpty()) {
                continue;
            }
            PathDraft somePath = conn.paths.get(0);
            for (PeerDeviceDraft peerDevice : conn.volumes) {
                for (EndpointDraft ep : somePath.endpoints) {
                    if (ep.name.equals("_remote_host") || ep.host == null) {
                        continue;
                    }
                    if (ep.host.volumes.stream().noneMatch(v -> v.number == peerDevice.volume)) {
                        throw new ConfigException(peerDevice.definedAt, "Resource " + res.name
                                + ": There is a reference to a volume " + peerDevice.volume
                                + " that is not known in this resource on host " + ep.name);
                    }
                }
            }
            if (somePath.endpoints.isEmpty() || somePath.endpoints.get(0).host == null) {
                continue;
            }
            for (VolumeDraft vol : somePath.endpoints.get(0).host.volumes) {
                if (conn.volumes.stream().noneMatch(p -> p.volume == vol.number)) {
                    PeerDeviceDraft peerDevice = new PeerDeviceDraft();
                    peerDevice.volume = vol.number;
                    peerDevice.implicit = true;
                    conn.volumes.add(peerDevice);
                }
            }
        }
    }
}
