package io.jdrbd.node.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints a configuration exactly as {@code drbdadm dump} does (drbdadm_dump.c): what was written,
 * normalized (canonical option names, addresses with their family, node ids assigned), with
 * drbdadm's indentation and column alignment, and without the implicit connections.
 */
public final class DumpWriter {

    private static final int INDENT_WIDTH = 4;
    private static final Pattern PLAIN_WORD = Pattern.compile("[a-zA-Z0-9/._-]*");
    private static final int PLAIN_WORD_MAX = 80;

    private final DrbdConfig config;
    private final StringBuilder out = new StringBuilder();
    private int indent;

    public DumpWriter(DrbdConfig config) {
        this.config = config;
    }

    /** The whole configuration: header comment, global and common sections, every resource. */
    public static String dumpAll(DrbdConfig config) {
        DumpWriter writer = new DumpWriter(config);
        writer.header();
        for (Resource resource : config.resources()) {
            writer.resource(resource);
        }
        return writer.out.toString();
    }

    /** One resource, as {@code drbdadm dump RES} prints it (no file header, no global or common). */
    public static String dumpResource(DrbdConfig config, Resource resource) {
        DumpWriter writer = new DumpWriter(config);
        writer.resource(resource);
        return writer.out.toString();
    }

    /** drbdadm's esc(): quotes a value unless it is a plain word of at most 80 characters. */
    static String esc(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        if (PLAIN_WORD.matcher(value).matches() && value.length() <= PLAIN_WORD_MAX) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    private void header() {
        out.append("# ").append(config.canonicalFile()).append('\n');
        GlobalOptions g = config.global();
        if (g.minorCount() != 0 || g.disableIpVerification() || g.dialogRefresh() != 1
                || !g.usageCount().equals("ask")) {
            line("global {");
            indent++;
            if (g.disableIpVerification()) {
                line("disable-ip-verification;");
            }
            if (g.minorCount() != 0) {
                line("minor-count " + g.minorCount() + ";");
            }
            if (g.dialogRefresh() != 1) {
                line("dialog-refresh " + g.dialogRefresh() + ";");
            }
            if (!g.usageCount().equals("ask")) {
                line("usage-count " + g.usageCount() + ";");
            }
            indent--;
            line("}");
            out.append('\n');
        }
        config.common().ifPresent(common -> {
            line("common {");
            indent++;
            sections(common);
            indent--;
            out.append("}\n\n");
        });
    }

    private void resource(Resource res) {
        var me = config.me(res);
        boolean stacked = me.isPresent() && me.get().kind() == Host.Kind.STACKED;
        line("# resource " + esc(res.name()) + " on " + config.hostname() + ": "
                + (me.isEmpty() ? "ignored" : "not ignored") + ", " + (stacked ? "stacked" : "not stacked"));
        line("# defined at " + res.definedAt().file() + ":" + res.definedAt().line());
        line("resource " + esc(res.name()) + " {");
        indent++;
        if (res.templateFile() != null) {
            line("template-file " + esc(res.templateFile()) + ";");
        }
        for (Volume vol : res.volumes()) {
            if (vol.parsedDevice() || vol.parsedDisk() || vol.parsedMetaDisk()) {
                volume(stacked, vol);
            }
        }
        for (Host host : res.hosts()) {
            host(host);
        }
        for (Connection conn : res.connections()) {
            if (!conn.implicit()) {
                connection(conn);
            }
        }
        for (Mesh mesh : res.meshes()) {
            line("connection-mesh {");
            indent++;
            line("hosts " + String.join(" ", mesh.hosts()) + ";");
            options("net", mesh.net());
            indent--;
            line("}");
        }
        sections(res.sections());
        indent--;
        out.append("}\n\n");
    }

    private void sections(Sections s) {
        options("options", s.options());
        options("net", s.net());
        options("disk", s.disk(), s.peerDevice());
        OptionList startup = s.startup();
        // drbdadm appends stacked-timeouts to the section's option list, and that append is lost when the
        // list is empty (its list head was copied by value); so it is printed only next to other options
        if (s.stackedTimeouts() && !startup.isEmpty()) {
            List<Option> withFlag = new java.util.ArrayList<>(startup.options());
            withFlag.add(new Option("stacked-timeouts", null));
            startup = new OptionList(withFlag);
        }
        options("startup", startup);
        if (!s.proxy().isEmpty() || !s.proxyPlugins().isEmpty()) {
            line("proxy {");
            indent++;
            optionLines(s.proxy());
            options("plugin", s.proxyPlugins());
            indent--;
            line("}");
        }
        options("handlers", s.handlers());
    }

    private void volume(boolean hasLower, Volume vol) {
        if (!vol.implicit()) {
            line("volume " + vol.number() + " {");
            indent++;
        }
        boolean nothing = vol.minor() == -1 && vol.device() == null && vol.disk() == null && vol.metaDisk() == null
                && vol.metaIndex() == null;
        if (!nothing) {
            options("disk", vol.diskOptions(), vol.peerDeviceOptions());
            if (vol.parsedDevice()) {
                out.append(pad("", 4 * indent)).append("device").append(pad("", -19 + 4 * indent));
                if (vol.device() != null) {
                    out.append(esc(vol.device())).append(' ');
                }
                out.append("minor ").append(vol.minor()).append(";\n");
            }
            if (!hasLower && vol.parsedDisk()) {
                assignment("disk", esc(vol.disk() == null ? "none" : vol.disk()));
            }
            if (!hasLower && vol.parsedMetaDisk() && vol.metaDisk() != null) {
                metaDisk(vol);
            }
            if (vol.implicit()) {
                return;
            }
        }
        // drbdadm closes the block here even for an implicit volume without content
        indent--;
        line("}");
    }

    private void metaDisk(Volume vol) {
        if ("flexible".equals(vol.metaIndex())) {
            line(pad("meta-disk", -16) + " " + esc(vol.metaDisk()) + ";");
        } else if ("internal".equals(vol.metaIndex())) {
            assignment("meta-disk", "internal");
        } else {
            line(pad("meta-disk", -16) + " " + esc(vol.metaDisk()) + " [" + vol.metaIndex() + "];");
        }
    }

    private void host(Host host) {
        if (host.kind() == Host.Kind.STACKED) {
            line("stacked-on-top-of " + esc(host.lowerResource()) + " {");
            indent++;
            line("# on " + namesOrUnknown(host) + " ");
        } else if (host.kind() == Host.Kind.FLOATING) {
            address("floating", host.address(), " {\n");
            indent++;
        } else {
            line("on " + namesOrUnknown(host) + " {");
            indent++;
        }
        line("node-id " + host.nodeId() + ";");
        options("options", host.options());
        for (Volume vol : host.volumes()) {
            if (vol.parsedDevice() || vol.parsedDisk() || vol.parsedMetaDisk()) {
                volume(host.kind() == Host.Kind.STACKED, vol);
            }
        }
        if (host.kind() != Host.Kind.FLOATING && host.address() != null) {
            address("address", host.address(), ";\n");
        }
        if (host.proxy() != null) {
            proxy("", host.proxy());
        }
        indent--;
        line("}");
    }

    private static String namesOrUnknown(Host host) {
        return host.names().isEmpty() ? "UNKNOWN" : host.displayName();
    }

    private void connection(Connection conn) {
        line(conn.name() == null ? "connection {" : "connection " + esc(conn.name()) + " {");
        indent++;
        if (conn.paths().get(0).implicit()) {
            endpoints(conn.paths().get(0));
        } else {
            for (ConnectionPath path : conn.paths()) {
                line("path {");
                indent++;
                endpoints(path);
                indent--;
                line("}");
            }
        }
        options("net", conn.net());
        options("disk", conn.peerDeviceOptions());
        for (PeerDeviceSection pd : conn.volumes()) {
            if (pd.implicit()) {
                continue;
            }
            line("volume " + pd.volume() + " {");
            indent++;
            options("disk", pd.options());
            indent--;
            line("}");
        }
        indent--;
        line("}");
    }

    private void endpoints(ConnectionPath path) {
        for (Endpoint ep : path.endpoints()) {
            if (ep.byAddress() || ep.fakedHostname()) {
                address("address", ep.address(), (ep.proxy() != null ? " " : "; ") + "# on " + ep.hostName() + "\n");
            } else {
                out.append(pad("", 4 * indent)).append("host ").append(ep.hostName());
                if (ep.parsedAddress()) {
                    address(" address", ep.address(), "");
                } else if (ep.parsedPort()) {
                    out.append(" port ").append(ep.address().port());
                }
            }
            if (ep.proxy() != null) {
                proxy(" via ", ep.proxy());
            } else {
                out.append(";\n");
            }
        }
    }

    private void proxy(String prefix, ProxyOn proxy) {
        out.append(pad("", 4 * indent)).append(prefix).append("proxy on ").append(String.join(" ", proxy.onHosts()))
                .append(" {\n");
        indent++;
        address("inside", proxy.inside(), ";\n");
        address("outside", proxy.outside(), ";\n");
        if (!proxy.options().isEmpty() || !proxy.plugins().isEmpty()) {
            line("options {");
            indent++;
            optionLines(proxy.options());
            options("plugin", proxy.plugins());
            indent--;
            line("}");
        }
        indent--;
        line("}");
    }

    /** {@code %-16s %s ADDR:PORT} after the indentation (drbdadm's IPV4FMT / IPV6FMT). */
    private void address(String name, Address address, String postfix) {
        out.append(pad("", 4 * indent)).append(pad(name, -16)).append(' ').append(address.family()).append(' ');
        if (address.isIpv6()) {
            out.append('[').append(address.host()).append(']');
        } else {
            out.append(address.host());
        }
        out.append(':').append(address.port()).append(postfix);
    }

    private void options(String name, OptionList options) {
        options(name, options, OptionList.EMPTY);
    }

    /** A section with its options (and, for disk, the peer-device options after them); nothing if empty. */
    private void options(String name, OptionList options, OptionList within) {
        if (options.isEmpty() && within.isEmpty()) {
            return;
        }
        line(name + " {");
        indent++;
        optionLines(options);
        optionLines(within);
        indent--;
        line("}");
    }

    private void optionLines(OptionList options) {
        for (Option option : options.options()) {
            if (option.value() == null) {
                line(option.name() + ";");
            } else {
                assignment(option.name(), esc(option.value()));
            }
        }
    }

    /** drbdadm's printA: the name padded to column 24 (less as indentation grows), the value right-aligned to 3. */
    private void assignment(String name, String value) {
        out.append(pad("", 4 * indent)).append(pad(name, -24 + 4 * indent)).append(' ').append(pad(value, 3))
                .append(";\n");
    }

    private void line(String text) {
        out.append(pad("", 4 * indent)).append(text).append('\n');
    }

    /** printf's {@code %*s}: a negative width pads on the right, a positive one on the left. */
    static String pad(String text, int width) {
        int target = Math.abs(width);
        if (text.length() >= target) {
            return text;
        }
        String spaces = " ".repeat(target - text.length());
        return width < 0 ? text + spaces : spaces + text;
    }
}
