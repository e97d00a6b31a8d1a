package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.ConnectionDraft;
import io.jdrbd.node.config.Drafts.EndpointDraft;
import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.MeshDraft;
import io.jdrbd.node.config.Drafts.PathDraft;
import io.jdrbd.node.config.Drafts.PeerDeviceDraft;
import io.jdrbd.node.config.Drafts.ProxyDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;
import io.jdrbd.node.config.Drafts.VolumeDraft;
import java.util.ArrayList;
import java.util.List;

/** Turns the completed drafts into the immutable model. */
final class ModelFreezer {

    private ModelFreezer() {
    }

    static Resource resource(ResourceDraft res) {
        List<Volume> volumes = new ArrayList<>();
        for (VolumeDraft vol : res.volumes) {
            volumes.add(vol.freeze());
        }
        List<Host> hosts = new ArrayList<>();
        for (HostDraft host : res.hosts) {
            hosts.add(host(host));
        }
        List<Connection> connections = new ArrayList<>();
        for (ConnectionDraft conn : res.connections) {
            connections.add(connection(conn));
        }
        List<Mesh> meshes = new ArrayList<>();
        for (MeshDraft mesh : res.meshes) {
            meshes.add(new Mesh(mesh.hosts, mesh.net.freeze()));
        }
        return new Resource(res.name, res.definedAt, res.templateFile, res.sections.freeze(), volumes, hosts,
                connections, meshes, res.template == null ? null : res.template.freeze());
    }

    static Host host(HostDraft host) {
        List<Volume> volumes = new ArrayList<>();
        for (VolumeDraft vol : host.volumes) {
            volumes.add(vol.freeze());
        }
        int nodeId = host.nodeId == null ? -1 : VolumeParser.atoi(host.nodeId);
        return new Host(host.kind, host.names, nodeId, host.address, host.options.freeze(), volumes,
                proxy(host.proxy), host.lowerName, host.definedAt);
    }

    static ProxyOn proxy(ProxyDraft proxy) {
        return proxy == null ? null : proxy.freeze();
    }

    private static Connection connection(ConnectionDraft conn) {
        List<ConnectionPath> paths = new ArrayList<>();
        for (PathDraft path : conn.paths) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (EndpointDraft ep : path.endpoints) {
                endpoints.add(new Endpoint(ep.name, ep.address, ep.parsedAddress, ep.parsedPort, ep.byAddress,
                        ep.fakedHostname, proxy(ep.proxy), ep.definedAt));
            }
            paths.add(new ConnectionPath(path.implicit, endpoints, path.definedAt));
        }
        List<PeerDeviceSection> volumes = new ArrayList<>();
        for (PeerDeviceDraft pd : conn.volumes) {
            volumes.add(new PeerDeviceSection(pd.volume, pd.implicit, pd.options.freeze()));
        }
        return new Connection(conn.name, conn.implicit, paths, conn.net.freeze(), conn.peerDeviceOptions.freeze(),
                volumes, conn.standalone, conn.definedAt);
    }
}
