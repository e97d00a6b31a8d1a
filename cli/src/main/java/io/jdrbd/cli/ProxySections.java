package io.jdrbd.cli;

import io.jdrbd.node.config.Address;
import io.jdrbd.node.config.ConfigException;
import io.jdrbd.node.config.Connection;
import io.jdrbd.node.config.ConnectionPath;
import io.jdrbd.node.config.DrbdConfig;
import io.jdrbd.node.config.Endpoint;
import io.jdrbd.node.config.HostNames;
import io.jdrbd.node.config.Option;
import io.jdrbd.node.config.OptionList;
import io.jdrbd.node.config.ProxyOn;
import io.jdrbd.node.config.Resource;
import io.jdrbd.node.config.Sections;
import io.jdrbd.proxy.CompressionLevels;
import io.jdrbd.proxy.ControlCommands;
import io.jdrbd.proxy.ProxyConnectionSpec;
import io.jdrbd.proxy.ProxySizes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy connections a host serves, from the {@code proxy} sections of a drbd.conf: one per
 * connection whose local endpoint has a {@code proxy on} section naming this host, named as
 * drbdadm names it ({@code RESOURCE-PEERPROXYHOSTS-MYPROXYHOSTS}, hosts joined by {@code _}).
 */
public final class ProxySections {

    /**
     * DRBD Proxy v1..v3 wrote {@code compression on;} in the proxy section; drbdadm 9 refuses it
     * ("Value is not a number"), DRBD Proxy v4 accepts it. We take it out before parsing and apply it.
     */
    private static final Pattern COMPRESSION_SWITCH =
            Pattern.compile("(?m)^(\\s*)compression\\s+(on|off|yes|no)\\s*;");

    private ProxySections() {
    }

    /** Parses {@code text} (named {@code shownName} in errors) as host {@code host} and lists its proxy connections. */
    public static List<ProxyConnectionSpec> connections(String text, String shownName, String host)
            throws ConfigException {
        Matcher matcher = COMPRESSION_SWITCH.matcher(text);
        String compressionSwitch = null;
        StringBuilder cleaned = new StringBuilder();
        while (matcher.find()) {
            compressionSwitch = matcher.group(2);
            // Keep the line count so parse errors still name the right line.
            matcher.appendReplacement(cleaned, Matcher.quoteReplacement(matcher.group(1)));
        }
        matcher.appendTail(cleaned);
        DrbdConfig config = DrbdConfig.parse(cleaned.toString(), shownName, host);
        List<ProxyConnectionSpec> specs = new ArrayList<>();
        for (Resource resource : config.resources()) {
            Sections common = config.common().orElse(Sections.EMPTY);
            Sections sections = new Sections(OptionList.EMPTY, OptionList.EMPTY, OptionList.EMPTY, OptionList.EMPTY,
                    OptionList.EMPTY, false, inherit(resource.sections().proxy(), common.proxy()),
                    inherit(resource.sections().proxyPlugins(), common.proxyPlugins()), OptionList.EMPTY);
            for (Connection connection : resource.connections()) {
                for (ConnectionPath path : connection.paths()) {
                    ProxyConnectionSpec spec = spec(resource, sections, path, host, compressionSwitch);
                    if (spec != null) {
                        specs.add(spec);
                        break;
                    }
                }
            }
        }
        return specs;
    }

    private static ProxyConnectionSpec spec(Resource resource, Sections sections, ConnectionPath path, String host,
                                            String compressionSwitch) {
        List<Endpoint> ends = path.endpoints();
        if (ends.size() != 2 || ends.get(0).proxy() == null || ends.get(1).proxy() == null) {
            return null;
        }
        int mine = servedHere(ends.get(0), host) ? 0 : servedHere(ends.get(1), host) ? 1 : -1;
        if (mine < 0) {
            return null;
        }
        Endpoint me = ends.get(mine);
        Endpoint peer = ends.get(1 - mine);
        String name = resource.name() + "-" + String.join("_", peer.proxy().onHosts()) + "-"
                + String.join("_", me.proxy().onHosts());
        OptionList options = inherit(me.proxy().options(), sections.proxy());
        List<String> plugins = new ArrayList<>();
        for (Option plugin : inherit(me.proxy().plugins(), sections.proxyPlugins()).options()) {
            plugins.add(plugin.name());
        }
        String compression = options.value("compression").orElse(compressionSwitch);
        int level;
        try {
            level = CompressionLevels.fromSettings(compression, plugins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resource " + resource.name() + ": " + e.getMessage(), e);
        }
        long memlimit = options.value("memlimit").map(ProxySizes::parse)
                .orElse(ControlCommands.DEFAULT_MEMLIMIT_BYTES);
        return new ProxyConnectionSpec(name, socket(me.proxy().inside()), socket(me.proxy().outside()),
                socket(peer.proxy().outside()), socket(me.address()), bindableOrNull(peer.address()),
                Math.max(memlimit, ProxyConnectionSpec.MEMLIMIT_MIN_BYTES), level);
    }

    /** {@code child}'s options, then those of {@code parent} that {@code child} does not set. */
    private static OptionList inherit(OptionList child, OptionList parent) {
        List<Option> merged = new ArrayList<>(child.options());
        for (Option option : parent.options()) {
            if (merged.stream().noneMatch(o -> o.name().equals(option.name()))) {
                merged.add(option);
            }
        }
        return new OptionList(merged);
    }

    private static boolean servedHere(Endpoint endpoint, String host) {
        ProxyOn proxy = endpoint.proxy();
        return proxy.onHosts().stream().anyMatch(h -> HostNames.equal(h, host));
    }

    private static InetSocketAddress socket(Address address) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address.host()), address.portNumber());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address " + address + " does not resolve", e);
        }
    }

    /**
     * The peer node's IP when this machine can use it as a source address (loopback 127/8, or an
     * address of a local interface): the local node then sees the proxied socket come from its
     * peer's address, as without a proxy. Otherwise null (the system picks the source).
     */
    private static InetAddress bindableOrNull(Address address) {
        if (address == null) {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByName(address.host());
            return ip.isLoopbackAddress() || NetworkInterface.getByInetAddress(ip) != null ? ip : null;
        } catch (UnknownHostException | SocketException e) {
            return null;
        }
    }
}
