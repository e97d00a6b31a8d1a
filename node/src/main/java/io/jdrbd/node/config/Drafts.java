package io.jdrbd.node.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Mutable shapes the parser fills and the post-parse steps complete (inheritance, node ids,
 * implicit connections), before {@link ModelFreezer} turns them into the immutable model.
 */
final class Drafts {

    private Drafts() {
    }

    /** A section's options in order. */
    static final class Options {
        final List<Option> list = new ArrayList<>();

        void add(String name, String value) {
            list.add(new Option(name, value));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        OptionList freeze() {
            return new OptionList(list);
        }
    }

    static final class SectionsDraft {
        Options options = new Options();
        final Options net = new Options();
        final Options disk = new Options();
        final Options peerDevice = new Options();
        Options startup = new Options();
        boolean stackedTimeouts;
        Options proxy = new Options();
        Options proxyPlugins = new Options();
        Options handlers = new Options();

        Sections freeze() {
            return new Sections(options.freeze(), net.freeze(), disk.freeze(), peerDevice.freeze(),
                    startup.freeze(), stackedTimeouts, proxy.freeze(), proxyPlugins.freeze(), handlers.freeze());
        }
    }

    static final class VolumeDraft {
        int number;
        boolean implicit;
        String device;
        int minor = -1;
        String disk;
        String metaDisk;
        String metaIndex;
        final Options diskOptions = new Options();
        final Options peerDeviceOptions = new Options();
        boolean parsedDevice;
        boolean parsedDisk;
        boolean parsedMetaDisk;
        SourceLocation definedAt;
        SourceLocation deviceAt;
        SourceLocation diskAt;
        SourceLocation metaDiskAt;

        Volume freeze() {
            return new Volume(number, implicit, device, minor, disk, metaDisk, metaIndex, diskOptions.freeze(),
                    peerDeviceOptions.freeze(), parsedDevice, parsedDisk, parsedMetaDisk, definedAt);
        }
    }

    static final class ProxyDraft {
        final List<String> onHosts = new ArrayList<>();
        Address inside;
        Address outside;
        Options options = new Options();
        Options plugins = new Options();
        SourceLocation definedAt;

        ProxyOn freeze() {
            return new ProxyOn(onHosts, inside, outside, options.freeze(), plugins.freeze());
        }
    }

    static final class HostDraft {
        Host.Kind kind = Host.Kind.ON;
        final List<String> names = new ArrayList<>();
        String nodeId;
        Address address;
        Options options = new Options();
        final List<VolumeDraft> volumes = new ArrayList<>();
        ProxyDraft proxy;
        String lowerName;
        ResourceDraft lower;
        boolean requireMinor;
        boolean implicit;
        SourceLocation definedAt;

        /** As drbdadm names the host in messages (names_to_str): its names, or UNKNOWN. */
        String displayName() {
            return names.isEmpty() ? "UNKNOWN" : String.join(" ", names);
        }

        boolean isNamed(String hostname) {
            for (String name : names) {
                if (HostNames.equal(name, hostname)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class EndpointDraft {
        String name;
        Address address;
        String port;
        boolean parsedAddress;
        boolean parsedPort;
        boolean byAddress;
        boolean fakedHostname;
        ProxyDraft proxy;
        HostDraft host;
        SourceLocation definedAt;
    }

    static final class PathDraft {
        boolean implicit;
        final List<EndpointDraft> endpoints = new ArrayList<>();
        SourceLocation definedAt;
    }

    static final class PeerDeviceDraft {
        int volume;
        boolean implicit;
        Options options = new Options();
        SourceLocation definedAt;
    }

    static final class ConnectionDraft {
        String name;
        boolean implicit;
        final List<PathDraft> paths = new ArrayList<>();
        Options net = new Options();
        Options peerDeviceOptions = new Options();
        final List<PeerDeviceDraft> volumes = new ArrayList<>();
        boolean standalone;
        HostDraft peerNode;
        SourceLocation definedAt;
    }

    static final class MeshDraft {
        final List<String> hosts = new ArrayList<>();
        Options net = new Options();
    }

    static final class ResourceDraft {
        String name;
        SourceLocation definedAt;
        String templateFile;
        SectionsDraft template;
        final SectionsDraft sections = new SectionsDraft();
        final List<VolumeDraft> volumes = new ArrayList<>();
        final List<HostDraft> hosts = new ArrayList<>();
        final List<ConnectionDraft> connections = new ArrayList<>();
        final List<MeshDraft> meshes = new ArrayList<>();
        boolean stackedOnOne;
        String startLineFile;
    }

    /** Inserts a volume after all volumes with a number not above its own (drbdadm's ordered insert). */
    static void insertVolume(List<VolumeDraft> volumes, VolumeDraft volume) {
        int index = volumes.size();
        while (index > 0 && volumes.get(index - 1).number > volume.number) {
            index--;
        }
        volumes.add(index, volume);
    }
}
