package io.jdrbd.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What bringing a resource up on this host consists of, as the drbdsetup/drbdmeta command lines
 * {@code drbdadm -d up RES} prints: new-resource (resource options), new-minor per volume, new-peer
 * per connection (net options), new-path per path, peer-device-options, apply-al and attach per
 * volume with a disk (disk options), connect per peer; in drbdadm's stage order. This is the
 * effective configuration as DRBD applies it, so {@code jdrbd adm -d up} can print it exactly and
 * the node can apply the same settings.
 */
public final class UpPlan {

    private final DrbdConfig config;
    private final Resource resource;
    private final LocalResource local;
    private final List<List<String>> commands = new ArrayList<>();

    private UpPlan(DrbdConfig config, Resource resource, LocalResource local) {
        this.config = config;
        this.resource = resource;
        this.local = local;
    }

    /** The commands for {@code name} on the configuration's host; refused when it does not run here. */
    public static List<List<String>> commands(DrbdConfig config, String name) throws ConfigException {
        Resource resource = config.resource(name).orElseThrow(() -> new ConfigException(
                new SourceLocation(config.file(), 0, 0), "'" + name + "' not defined in your config."));
        Optional<LocalResource> local = new HostSelection(config).localResources(false).stream()
                .filter(r -> r.name().equals(name)).findFirst();
        if (local.isEmpty()) {
            throw new ConfigException(resource.definedAt(), "'" + name + "' ignored, since this host ("
                    + config.hostname() + ") is not mentioned with an 'on' keyword.");
        }
        if (local.get().me().kind() == Host.Kind.STACKED) {
            throw new ConfigException(resource.definedAt(), "'" + name + "' is a stacked resource (not supported yet)");
        }
        UpPlan plan = new UpPlan(config, resource, local.get());
        plan.build();
        return List.copyOf(plan.commands);
    }

    /** One command line as drbdadm prints it, each argument shell-escaped. */
    public static String render(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(shellEscape(arg));
        }
        return line.toString();
    }

    /** drbdadm's shell_escape: a backslash before every character outside {@code [A-Za-z0-9%+-./:=@_]}. */
    static String shellEscape(String arg) {
        StringBuilder out = new StringBuilder(arg.length());
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            boolean clean = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "%+-./:=@_".indexOf(c) >= 0;
            if (!clean) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private void build() throws ConfigException {
        String res = resource.name();
        commands.add(withOptions(List.of("drbdsetup", "new-resource", res, Integer.toString(local.nodeId())),
                local.sections().options()));
        for (LocalResource.LocalVolume vol : local.volumes()) {
            List<String> argv = new ArrayList<>(List.of("drbdsetup", "new-minor", res,
                    Integer.toString(vol.volume().minor()), Integer.toString(vol.volume().number())));
            if (isDiskless(vol.volume())) {
                argv.add("--diskless");
            }
            commands.add(argv);
        }
        for (LocalPeer peer : local.peers()) {
            List<Option> net = new ArrayList<>();
            net.add(new Option("_name", String.join("_", peer.host().names())));
            net.addAll(peer.net().all().options());
            commands.add(withOptions(List.of("drbdsetup", "new-peer", res, peerId(peer)), new OptionList(net)));
        }
        for (LocalPeer peer : local.peers()) {
            for (LocalPeer.PathAddresses path : peer.paths()) {
                Address connectTo = path.localProxy() != null ? path.localProxy().inside() : path.peer();
                commands.add(List.of("drbdsetup", "new-path", res, peerId(peer), pathAddress(path.local()),
                        pathAddress(connectTo)));
            }
        }
        peerDeviceOptions(res);
        for (LocalResource.LocalVolume vol : local.volumes()) {
            if (!isDiskless(vol.volume())) {
                attach(vol);
            }
        }
        for (LocalPeer peer : local.peers()) {
            commands.add(List.of("drbdsetup", "connect", res, peerId(peer)));
        }
    }

    /** Peer-device options per peer and volume; a diskless peer volume gets {@code bitmap no} added. */
    private void peerDeviceOptions(String res) {
        for (LocalPeer peer : local.peers()) {
            for (Map.Entry<Integer, OptionList> entry : orderedPeerDevices(peer)) {
                List<Option> options = new ArrayList<>(entry.getValue().options());
                Optional<Volume> peerVolume = peer.host().volumes().stream()
                        .filter(v -> v.number() == entry.getKey()).findFirst();
                if (peerVolume.isPresent() && isDiskless(peerVolume.get())) {
                    options.add(new Option("bitmap", "no"));
                }
                if (!options.isEmpty()) {
                    commands.add(withOptions(List.of("drbdsetup", "peer-device-options", res, peerId(peer),
                            Integer.toString(entry.getKey())), new OptionList(options)));
                }
            }
        }
    }

    /** In the connection's order of volume sections (explicit ones first, as drbdadm keeps them). */
    private static List<Map.Entry<Integer, OptionList>> orderedPeerDevices(LocalPeer peer) {
        List<Map.Entry<Integer, OptionList>> ordered = new ArrayList<>();
        for (PeerDeviceSection section : peer.connection().volumes()) {
            OptionList options = peer.peerDeviceOptions().get(section.volume());
            if (options != null && ordered.stream().noneMatch(e -> e.getKey() == section.volume())) {
                ordered.add(Map.entry(section.volume(), options));
            }
        }
        return ordered;
    }

    private void attach(LocalResource.LocalVolume vol) throws ConfigException {
        Volume v = vol.volume();
        String minor = Integer.toString(v.minor());
        String metaDevice = "internal".equals(v.metaDisk()) ? v.disk() : v.metaDisk();
        String metaIndex = v.metaIndex();
        if ("flexible".equals(metaIndex)) {
            metaIndex = "internal".equals(v.metaDisk()) ? "flex-internal" : "flex-external";
        }
        commands.add(List.of("drbdmeta", minor, "v09", metaDevice, metaIndex, "apply-al"));
        commands.add(withOptions(List.of("drbdsetup", "attach", minor, v.disk(), metaDevice, v.metaIndex()),
                resyncAfterAsMinor(vol.diskOptions())));
    }

    /**
     * drbdsetup wants the minor a resource's {@code resync-after} names; a resource not on this host
     * (or one with several volumes and no volume given) leaves the option out, as drbdadm does when
     * run from a script.
     */
    private OptionList resyncAfterAsMinor(OptionList disk) throws ConfigException {
        List<Option> converted = new ArrayList<>();
        for (Option option : disk.options()) {
            if (!option.name().equals("resync-after")) {
                converted.add(option);
                continue;
            }
            String[] parts = option.value().split("/", 2);
            Optional<LocalResource> target = new HostSelection(config).localResources(false).stream()
                    .filter(r -> r.name().equals(parts[0])).findFirst();
            if (target.isEmpty()) {
                continue;
            }
            List<LocalResource.LocalVolume> volumes = target.get().volumes();
            Optional<LocalResource.LocalVolume> volume = parts.length == 2
                    ? volumes.stream().filter(v -> Integer.toString(v.volume().number()).equals(parts[1])).findFirst()
                    : volumes.size() == 1 ? Optional.of(volumes.get(0)) : Optional.empty();
            if (parts.length == 1 && volumes.size() > 1) {
                throw new ConfigException(resource.definedAt(), "in resource " + resource.name() + ": resync-after"
                        + " contains '" + option.value() + "', which is ambiguous, since it contains "
                        + volumes.size() + " volumes");
            }
            volume.ifPresent(v -> converted.add(new Option("resync-after", Integer.toString(v.volume().minor()))));
        }
        return new OptionList(converted);
    }

    private static boolean isDiskless(Volume volume) {
        return volume.disk() == null || volume.disk().equals("none");
    }

    private static String peerId(LocalPeer peer) {
        return Integer.toString(peer.host().nodeId());
    }

    private static String pathAddress(Address address) {
        return address.isIpv6() ? address.family() + ":[" + address.host() + "]:" + address.port()
                : address.family() + ":" + address.host() + ":" + address.port();
    }

    private static List<String> withOptions(List<String> head, OptionList options) {
        List<String> argv = new ArrayList<>(head);
        for (Option option : options.options()) {
            argv.add(option.value() == null ? "--" + option.name() : "--" + option.name() + "=" + option.value());
        }
        return argv;
    }
}
