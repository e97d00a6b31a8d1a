package io.jdrbd.node.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which host section of each resource is "this host" (drbdadm's set_me_in_resource), the checks
 * drbdadm makes before running a command, and the per-host view the node runs from.
 */
final class HostSelection {

    private final DrbdConfig config;

    HostSelection(DrbdConfig config) {
        this.config = config;
    }

    /**
     * The host section this host runs: named by the host name (or {@code _this_host}); a floating
     * section whose address is on this machine; a stacked section whose lower resource runs here.
     */
    Optional<Host> me(Resource resource) {
        Host found = null;
        for (Host host : resource.hosts()) {
            if (matches(host)) {
                found = found == null ? host : found;
            }
        }
        return Optional.ofNullable(found);
    }

    private boolean matches(Host host) {
        switch (host.kind()) {
            case FLOATING:
                return config.hostname().equals(host.address().host()) || isLocalAddress(host.address());
            case STACKED:
                return config.resource(host.lowerResource()).flatMap(this::me).isPresent();
            case THIS_HOST:
                return true;
            default:
                return host.isNamed(config.hostname());
        }
    }

    static boolean isLocalAddress(Address address) {
        if (!address.family().equals("ipv4") && !address.family().equals("ipv6")) {
            return false;
        }
        if (address.family().equals("ipv4") && !address.host().matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        try {
            // literal addresses only: never a DNS lookup
            return NetworkInterface.getByInetAddress(InetAddress.getByName(address.host())) != null;
        } catch (UnknownHostException | SocketException | SecurityException e) {
            return false;
        }
    }

    /** drbdadm's checks of every resource before a command (validate_resource), dump included. */
    void validate() throws ConfigException {
        for (Resource resource : config.resources()) {
            if (resource.hosts().isEmpty()) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name()
                        + ": a host sections ('on " + config.hostname() + " { ... }') is missing.");
            }
            int mine = 0;
            for (Host host : resource.hosts()) {
                mine += matches(host) ? 1 : 0;
            }
            if (mine > 1) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name()
                        + ": There are multiple host sections for this node.");
            }
            checkDiscardNode(resource);
            checkProxySections(resource);
        }
    }

    private void checkDiscardNode(Resource resource) throws ConfigException {
        if (me(resource).isEmpty()) {
            return;
        }
        Optional<String> after = resource.sections().net().value("after-sb-0pri");
        if (after.isPresent() && after.get().startsWith("discard-node-")) {
            String node = after.get().substring("discard-node-".length());
            if (resource.hosts().stream().noneMatch(h -> h.isNamed(node))) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name()
                        + ": the nodename in the '" + after.get() + "' option is not known.");
            }
        }
    }

    /** Either all host sections (and all endpoints of a path) have a proxy, or none. */
    private static void checkProxySections(Resource resource) throws ConfigException {
        if (resource.hosts().stream().map(h -> h.proxy() != null).distinct().count() > 1) {
            throw new ConfigException(resource.definedAt(), "in resource " + resource.name()
                    + ": Either all 'on' sections must contain a proxy subsection, or none.");
        }
        for (Connection conn : resource.connections()) {
            for (ConnectionPath path : conn.paths()) {
                if (path.endpoints().stream().map(e -> e.proxy() != null).distinct().count() > 1) {
                    throw new ConfigException(conn.definedAt(), "in connection in resource " + resource.name()
                            + ": Either all 'host' statements must have a proxy subsection, or none.");
                }
            }
        }
    }

    /**
     * drbdadm (run from a script, as daemons and tests do) drops a resource-level {@code resync-after}
     * that names a resource unknown on this host, with a warning: deleted resources must not make
     * every later command fail.
     */
    DrbdConfig withoutUnknownResyncAfter() {
        List<Resource> resources = new ArrayList<>();
        List<String> warnings = new ArrayList<>(config.warnings());
        for (Resource res : config.resources()) {
            List<Option> kept = new ArrayList<>();
            for (Option option : res.sections().disk().options()) {
                if (option.name().equals("resync-after") && !knownHere(option.value())) {
                    Optional<Resource> target = config.resource(option.value().split("/", 2)[0]);
                    warnings.add(res.definedAt() + ": in resource " + res.name() + ": resource '" + option.value()
                            + "' mentioned in 'resync-after' option is not known"
                            + (target.isPresent() ? " on this host" : "") + ".");
                } else {
                    kept.add(option);
                }
            }
            if (kept.size() == res.sections().disk().options().size()) {
                resources.add(res);
                continue;
            }
            Sections s = res.sections();
            Sections filtered = new Sections(s.options(), s.net(), new OptionList(kept), s.peerDevice(), s.startup(),
                    s.stackedTimeouts(), s.proxy(), s.proxyPlugins(), s.handlers());
            resources.add(new Resource(res.name(), res.definedAt(), res.templateFile(), filtered, res.volumes(),
                    res.hosts(), res.connections(), res.meshes(), res.template()));
        }
        return new DrbdConfig(config.file(), config.canonicalFile(), config.global(), config.common(), resources,
                config.moduleVersionRequirements(), config.hostname(), warnings);
    }

    private boolean knownHere(String value) {
        Optional<Resource> target = config.resource(value.split("/", 2)[0]);
        return target.isPresent() && me(target.get()).isPresent();
    }

    List<LocalResource> localResources() throws ConfigException {
        List<LocalResource> local = new ArrayList<>();
        for (Resource resource : config.resources()) {
            Optional<Host> me = me(resource);
            if (me.isPresent()) {
                local.add(localResource(resource, me.get()));
            }
        }
        return local;
    }

    private LocalResource localResource(Resource resource, Host me) throws ConfigException {
        Sections parent = resource.template() != null ? resource.template() : config.common().orElse(Sections.EMPTY);
        Sections sections = resource.sections().inheriting(parent);
        List<LocalResource.LocalVolume> volumes = new ArrayList<>();
        for (Volume vol : me.volumes()) {
            OptionList disk = vol.diskOptions();
            OptionList peerDevice = vol.peerDeviceOptions();
            for (Volume resourceVolume : resource.volumes()) {
                if (resourceVolume.number() == vol.number()) {
                    disk = disk.inheriting(resourceVolume.diskOptions());
                    peerDevice = peerDevice.inheriting(resourceVolume.peerDeviceOptions());
                }
            }
            volumes.add(new LocalResource.LocalVolume(vol, disk.inheriting(sections.disk()),
                    peerDevice.inheriting(sections.peerDevice())));
        }
        List<LocalPeer> peers = new ArrayList<>();
        for (Connection conn : resource.connections()) {
            peer(resource, me, conn, sections).ifPresent(peers::add);
        }
        checkValues(resource, OptionTables.RESOURCE, sections.options());
        for (LocalResource.LocalVolume vol : volumes) {
            checkValues(resource, OptionTables.DISK, vol.diskOptions());
            checkValues(resource, OptionTables.PEER_DEVICE, vol.peerDeviceOptions());
        }
        return new LocalResource(resource, me, volumes, peers, sections);
    }

    /**
     * Values the parser lets through as drbdadm does, but that the kernel (drbdsetup) refuses: a bare
     * {@code name;} of a number, word or string option reads as "yes".
     */
    private static void checkValues(Resource resource, java.util.Map<String, OptionDef> table, OptionList options)
            throws ConfigException {
        for (Option option : options.options()) {
            OptionDef def = table.get(option.name());
            if (def == null || def.checkedAfterParsing() || option.value() == null) {
                continue;
            }
            String problem = def.check(option.value());
            if (problem != null) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name() + ": value '"
                        + option.value() + "' for " + option.name() + " is " + problem);
            }
        }
    }

    private Optional<LocalPeer> peer(Resource resource, Host me, Connection conn, Sections sections)
            throws ConfigException {
        List<LocalPeer.PathAddresses> paths = new ArrayList<>();
        Host peerHost = null;
        for (ConnectionPath path : conn.paths()) {
            Endpoint mine = null;
            Endpoint theirs = null;
            for (Endpoint ep : path.endpoints()) {
                if (mine == null && isMe(resource, me, ep)) {
                    mine = ep;
                } else {
                    theirs = ep;
                }
            }
            if (mine == null || theirs == null) {
                return Optional.empty();
            }
            Endpoint peerEndpoint = theirs;
            peerHost = peerHost != null ? peerHost : resource.hosts().stream()
                    .filter(h -> endpointNames(h, peerEndpoint)).findFirst().orElse(null);
            paths.add(new LocalPeer.PathAddresses(mine.address(), theirs.address(), mine.proxy(), theirs.proxy()));
        }
        if (peerHost == null) {
            return Optional.empty();
        }
        OptionList net = conn.net().inheriting(sections.net());
        checkValues(resource, OptionTables.NET, net);
        return Optional.of(new LocalPeer(peerHost, conn, paths, NetSettings.from(net)));
    }

    private static boolean isMe(Resource resource, Host me, Endpoint ep) {
        return endpointNames(me, ep);
    }

    private static boolean endpointNames(Host host, Endpoint ep) {
        if (ep.fakedHostname() || ep.byAddress()) {
            return String.join("_", host.names()).equals(ep.hostName()) || host.isNamed(ep.hostName());
        }
        return host.isNamed(ep.hostName());
    }
}
