package io.jdrbd.node.config;

import java.util.List;

/**
 * A host section of a resource: {@code on NAME... { }}, {@code floating ADDR { }},
 * {@code stacked-on-top-of RES { }}, or the {@code _this_host} of drbdsetup show output.
 *
 * @param names the host names (for floating: {@code ADDR:PORT}; for stacked: the lower resource's hosts)
 * @param nodeId the node id, explicit or assigned by drbdadm's rules for two-host resources
 * @param address the replication address, or null
 * @param volumes the volumes after inheriting resource-level volumes, sorted by number
 * @param proxy DRBD 8.4 style {@code proxy on} inside the host section, or null
 * @param lowerResource for stacked-on-top-of: the resource this one stacks on, else null
 */
public record Host(Kind kind, List<String> names, int nodeId, Address address, OptionList options,
                   List<Volume> volumes, ProxyOn proxy, String lowerResource, SourceLocation definedAt) {

    /** How the section was introduced. */
    public enum Kind { ON, FLOATING, STACKED, THIS_HOST }

    public Host {
        names = List.copyOf(names);
        volumes = List.copyOf(volumes);
    }

    /** The name drbdadm uses for this host in messages: the names joined by spaces. */
    public String displayName() {
        return String.join(" ", names);
    }

    /** Whether {@code hostname} names this host, by drbdadm's rule (a short name matches a qualified one). */
    public boolean isNamed(String hostname) {
        for (String name : names) {
            if (HostNames.equal(name, hostname)) {
                return true;
            }
        }
        return false;
    }
}
