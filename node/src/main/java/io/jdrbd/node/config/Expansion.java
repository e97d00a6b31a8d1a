package io.jdrbd.node.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The effective options of one resource after inheritance, computed in drbdadm's order
 * (expand_common): common (or the template) into the resource; resource disk options into every
 * host volume, then resource-level volumes into the host volumes; resource net options into every
 * connection; connection disk options, then the volumes' peer-device options, into every peer
 * device. An option set at an inner level wins; an option inherited from two places with two
 * different values is refused ("ambiguous inheritance"). Inherited options go in front, so the
 * order of options is drbdadm's too (it shows in drbdsetup command lines).
 */
final class Expansion {

    /** An option list under construction, remembering which entries were inherited. */
    private static final class Merged {
        final List<Option> options = new ArrayList<>();
        final List<Boolean> inherited = new ArrayList<>();

        Merged(OptionList own) {
            this(own, false);
        }

        Merged(OptionList own, boolean allInherited) {
            for (Option option : own.options()) {
                options.add(option);
                inherited.add(allInherited);
            }
        }

        OptionList freeze() {
            return new OptionList(options);
        }
    }

    private final Resource resource;
    final Sections sections;
    /** Per host (in resource order), per volume (in host order): effective local-disk options. */
    final List<List<OptionList>> volumeDisk = new ArrayList<>();
    /** Per host, per volume: effective peer-device options written for the volume. */
    final List<List<OptionList>> volumePeerDevice = new ArrayList<>();
    /** Per connection (in resource order): effective net options. */
    final List<OptionList> connectionNet = new ArrayList<>();
    /** Per connection: volume number to effective peer-device options. */
    final List<Map<Integer, OptionList>> peerDevices = new ArrayList<>();

    Expansion(DrbdConfig config, Resource resource) throws ConfigException {
        this.resource = resource;
        Sections parent = resource.template() != null ? resource.template()
                : config.common().orElse(Sections.EMPTY);
        Sections own = resource.sections();
        OptionList resDisk = expand(parent.disk(), own.disk(), OptionTables.DISK);
        OptionList resPeerDevice = expand(parent.peerDevice(), own.peerDevice(), OptionTables.PEER_DEVICE);
        OptionList resNet = expand(parent.net(), own.net(), OptionTables.NET);
        sections = new Sections(expand(parent.options(), own.options(), OptionTables.RESOURCE), resNet, resDisk,
                resPeerDevice, expand(parent.startup(), own.startup(), OptionTables.STARTUP),
                own.stackedTimeouts() || parent.stackedTimeouts(), expand(parent.proxy(), own.proxy(),
                OptionTables.PROXY), expand(parent.proxyPlugins(), own.proxyPlugins(), null),
                expand(parent.handlers(), own.handlers(), OptionTables.HANDLERS));
        hostVolumes(resDisk, resPeerDevice);
        for (Connection conn : resource.connections()) {
            // an implicit connection's net options came from its mesh: they count as inherited
            Merged net = new Merged(conn.net(), conn.implicit());
            inherit(resNet, net, OptionTables.NET);
            connectionNet.add(net.freeze());
            peerDevices.add(peerDevices(conn));
        }
    }

    private void hostVolumes(OptionList resDisk, OptionList resPeerDevice) throws ConfigException {
        for (Host host : resource.hosts()) {
            List<OptionList> disks = new ArrayList<>();
            List<OptionList> peerDevice = new ArrayList<>();
            for (Volume vol : host.volumes()) {
                Merged disk = new Merged(vol.diskOptions());
                inherit(resDisk, disk, OptionTables.DISK);
                Merged pd = new Merged(vol.peerDeviceOptions());
                inherit(resPeerDevice, pd, OptionTables.PEER_DEVICE);
                for (Volume resourceVolume : resource.volumes()) {
                    if (resourceVolume.number() == vol.number()) {
                        inherit(resourceVolume.diskOptions(), disk, OptionTables.DISK);
                        inherit(resourceVolume.peerDeviceOptions(), pd, OptionTables.PEER_DEVICE);
                    }
                }
                disks.add(disk.freeze());
                peerDevice.add(pd.freeze());
            }
            volumeDisk.add(disks);
            volumePeerDevice.add(peerDevice);
        }
    }

    private Map<Integer, OptionList> peerDevices(Connection conn) throws ConfigException {
        Map<Integer, Merged> merged = new LinkedHashMap<>();
        for (PeerDeviceSection pd : conn.volumes()) {
            Merged options = merged.computeIfAbsent(pd.volume(), v -> new Merged(pd.options()));
            inherit(conn.peerDeviceOptions(), options, OptionTables.PEER_DEVICE);
        }
        for (Endpoint ep : conn.paths().get(0).endpoints()) {
            int hostIndex = hostIndex(ep);
            if (hostIndex < 0) {
                continue;
            }
            List<Volume> volumes = resource.hosts().get(hostIndex).volumes();
            for (int v = 0; v < volumes.size(); v++) {
                Merged options = merged.get(volumes.get(v).number());
                if (options != null) {
                    inherit(volumePeerDevice.get(hostIndex).get(v), options, OptionTables.PEER_DEVICE);
                }
            }
        }
        Map<Integer, OptionList> frozen = new LinkedHashMap<>();
        merged.forEach((vnr, options) -> frozen.put(vnr, options.freeze()));
        return frozen;
    }

    /** The index of the host section an endpoint belongs to, -1 if none (e.g. _remote_host). */
    int hostIndex(Endpoint ep) {
        List<Host> hosts = resource.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            Host host = hosts.get(i);
            boolean match = ep.fakedHostname() || ep.byAddress()
                    ? String.join("_", host.names()).equals(ep.hostName()) || host.isNamed(ep.hostName())
                    : host.isNamed(ep.hostName());
            if (match) {
                return i;
            }
        }
        return -1;
    }

    private OptionList expand(OptionList parent, OptionList own, Map<String, OptionDef> table)
            throws ConfigException {
        Merged merged = new Merged(own);
        inherit(parent, merged, table);
        return merged.freeze();
    }

    /** drbdadm's expand_opts: each parent option the child lacks goes in front, marked inherited. */
    private void inherit(OptionList parent, Merged child, Map<String, OptionDef> table) throws ConfigException {
        for (Option option : parent.options()) {
            int existing = indexOf(child, option.name());
            if (existing < 0) {
                child.options.add(0, option);
                child.inherited.add(0, true);
            } else if (child.inherited.get(existing) && table != null
                    && !equalValues(table.get(option.name()), child.options.get(existing).value(), option.value())) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name()
                        + ", ambiguous inheritance for option \"" + option.name() + "\". should be \""
                        + child.options.get(existing).value() + "\" and \"" + option.value() + "\" at the same time");
            }
        }
    }

    private static int indexOf(Merged merged, String name) {
        for (int i = 0; i < merged.options.size(); i++) {
            if (merged.options.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Equality by the option's type: numbers by value (40M equals 40960 in KiB), yes/no, words. A
     * value that is no number where one is needed (a bare {@code resync-rate;} reads "yes") cannot be
     * compared: drbdadm stops there, and so do we.
     */
    private boolean equalValues(OptionDef def, String a, String b) throws ConfigException {
        if (def == null || a == null || b == null) {
            return Objects.equals(a, b);
        }
        switch (def.kind()) {
            case NUMERIC: {
                Long x = NumberValue.parse(a, def.scale());
                Long y = NumberValue.parse(b, def.scale());
                if (x == null || y == null) {
                    throw new ConfigException(resource.definedAt(), "in resource " + resource.name() + ": "
                            + (x == null ? a : b) + " is not a valid number (option " + def.name() + ")");
                }
                return x.equals(y);
            }
            case ENUM_NOCASE:
                return a.equalsIgnoreCase(b);
            default:
                return a.equals(b);
        }
    }
}
