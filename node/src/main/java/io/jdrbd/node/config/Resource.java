package io.jdrbd.node.config;

import java.util.List;
import java.util.Optional;

/**
 * A resource as configured: the sections written in it, the resource-level volumes, the host
 * sections (volumes inherited, node ids assigned), and all its connections, explicit and implicit.
 *
 * @param templateFile the {@code template-file} it names, or null
 * @param sections the option sections written in the resource itself (not inherited from common)
 * @param template the sections of the template file, inherited instead of common's; null without one
 */
public record Resource(String name, SourceLocation definedAt, String templateFile, Sections sections,
                       List<Volume> volumes, List<Host> hosts, List<Connection> connections, List<Mesh> meshes,
                       Sections template) {

    public Resource {
        volumes = List.copyOf(volumes);
        hosts = List.copyOf(hosts);
        connections = List.copyOf(connections);
        meshes = List.copyOf(meshes);
    }

    /** The host section for {@code hostname}, by drbdadm's matching rule. */
    public Optional<Host> host(String hostname) {
        return hosts.stream().filter(h -> h.isNamed(hostname)).findFirst();
    }

    /** Whether this resource is stacked on another one (has a stacked-on-top-of section). */
    public boolean isStacked() {
        return hosts.stream().anyMatch(h -> h.kind() == Host.Kind.STACKED);
    }
}
