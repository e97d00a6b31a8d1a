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
     * In a resource that runs here, a stacked-on-top-of section's volumes have the lower resource's
     * device as their disk, with internal meta data (drbdadm's set_stacked_disk_in_res).
     */
    DrbdConfig withStackedDisks() {
        List<Resource> resources = new ArrayList<>();
        for (Resource res : config.resources()) {
            if (me(res).isEmpty() || !res.isStacked()) {
                resources.add(res);
                continue;
            }
            List<Host> hosts = new ArrayList<>();
            for (Host host : res.hosts()) {
                hosts.add(host.kind() == Host.Kind.STACKED ? stackedDisks(host) : host);
            }
            resources.add(new Resource(res.name(), res.definedAt(), res.templateFile(), res.sections(), res.volumes(),
                    hosts, res.connections(), res.meshes(), res.template()));
        }
        return new DrbdConfig(config.file(), config.canonicalFile(), config.global(), config.common(), resources,
                config.moduleVersionRequirements(), config.hostname(), config.warnings());
    }

    private Host stackedDisks(Host host) {
        Optional<Resource> lower = config.resource(host.lowerResource());
        if (lower.isEmpty()) {
            return host;
        }
        List<Volume> volumes = new ArrayList<>();
        for (Volume vol : host.volumes()) {
            Volume lowerVolume = null;
            for (Host lowerHost : lower.get().hosts()) { // the last host section wins, as in drbdadm
                for (Volume candidate : lowerHost.volumes()) {
                    if (candidate.number() == vol.number()) {
                        lowerVolume = candidate;
                    }
                }
            }
            if (lowerVolume == null) {
                volumes.add(vol);
                continue;
            }
            String disk = lowerVolume.device() != null ? lowerVolume.device() : "/dev/drbd" + lowerVolume.minor();
            volumes.add(new Volume(vol.number(), vol.implicit(), vol.device(), vol.minor(), disk,
                    vol.metaDisk() == null ? "internal" : vol.metaDisk(),
                    vol.metaIndex() == null ? "internal" : vol.metaIndex(), vol.diskOptions(),
                    vol.peerDeviceOptions(), vol.parsedDevice(), vol.parsedDisk(), vol.parsedMetaDisk(),
                    vol.definedAt()));
        }
        return new Host(host.kind(), host.names(), host.nodeId(), host.address(), host.options(), volumes,
                host.proxy(), host.lowerResource(), host.definedAt());
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

    /** Every resource that runs here, with values the kernel would refuse refused (see {@link #checkValues}). */
    List<LocalResource> localResources() throws ConfigException {
        return localResources(true);
    }

    /**
     * {@code checkValues} false keeps values drbdadm passes on to drbdsetup unchecked (a bare
     * {@code protocol;} becomes {@code --protocol=yes}): for printing what drbdadm would print.
     */
    List<LocalResource> localResources(boolean checkValues) throws ConfigException {
        List<LocalResource> local = new ArrayList<>();
        for (Resource resource : config.resources()) {
            Optional<Host> me = me(resource);
            if (me.isPresent()) {
                local.add(localResource(resource, me.get(), checkValues));
            }
        }
        return local;
    }

    private LocalResource localResource(Resource resource, Host me, boolean checkValues) throws ConfigException {
        Expansion expansion = new Expansion(config, resource);
        Sections sections = expansion.sections;
        int meIndex = resource.hosts().indexOf(me);
        List<LocalResource.LocalVolume> volumes = new ArrayList<>();
        for (int v = 0; v < me.volumes().size(); v++) {
            volumes.add(new LocalResource.LocalVolume(me.volumes().get(v), expansion.volumeDisk.get(meIndex).get(v),
                    expansion.volumePeerDevice.get(meIndex).get(v)));
        }
        List<LocalPeer> peers = new ArrayList<>();
        List<Connection> connections = resource.connections();
        for (int c = 0; c < connections.size(); c++) {
            peer(resource, me, connections.get(c), expansion.connectionNet.get(c), expansion.peerDevices.get(c),
                    checkValues).ifPresent(peers::add);
        }
        if (!checkValues) {
            return new LocalResource(resource, me, volumes, peers, sections);
        }
        checkValues(resource, OptionTables.RESOURCE, sections.options());
        for (LocalResource.LocalVolume vol : volumes) {
            checkValues(resource, OptionTables.DISK, vol.diskOptions());
            checkValues(resource, OptionTables.PEER_DEVICE, vol.peerDeviceOptions());
        }
        for (LocalPeer peer : peers) {
            for (OptionList options : peer.peerDeviceOptions().values()) {
                checkValues(resource, OptionTables.PEER_DEVICE, options);
            }
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

    private Optional<LocalPeer> peer(Resource resource, Host me, Connection conn, OptionList net,
                                     java.util.Map<Integer, OptionList> peerDevices, boolean checkValues)
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
        NetSettings settings = checkValues ? netSettings(resource, net) : NetSettings.lenient(net);
        return Optional.of(new LocalPeer(peerHost, conn, paths, settings, peerDevices));
    }

    /** Typed net settings; a value that is not valid for its option refuses the resource (its location). */
    private static NetSettings netSettings(Resource resource, OptionList net) throws ConfigException {
        checkValues(resource, OptionTables.NET, net);
        return NetSettings.from(net);
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
