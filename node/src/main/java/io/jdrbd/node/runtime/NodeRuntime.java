package io.jdrbd.node.runtime;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.BlockDevices;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.nbd.NbdExport;
import io.jdrbd.nbd.NbdServer;
import io.jdrbd.nbd.NbdServerConfig;
import io.jdrbd.node.config.LocalPeer;
import io.jdrbd.node.config.LocalResource;
import io.jdrbd.node.config.NetSettings;
import io.jdrbd.node.config.Volume;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.Buggify;
import io.jdrbd.replication.engine.Engine;
import io.jdrbd.replication.engine.EngineConfig;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.engine.Entropy;
import io.jdrbd.replication.engine.Protocol;
import io.jdrbd.replication.wire.AfterSbPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node (one host of a drbd.conf): the resources it runs, each driven by a {@link ResourceRuntime}
 * on an event loop, and an NBD server exporting each resource's device under the resource's name.
 * This is what the DRBD kernel module plus {@code drbdadm up} are for a DRBD host.
 */
public final class NodeRuntime implements AutoCloseable {

    /**
     * @param hostName    the {@code on HOST} section this node runs
     * @param nbdBind     address of the NBD export
     * @param nbdPort     port of the NBD export (0 = any free port)
     * @param autoPromote DRBD 9's auto-promote: the first NBD client promotes, the last close demotes
     */
    public record Options(String hostName, String nbdBind, int nbdPort, boolean autoPromote) {
    }

    private final Options options;
    private final EventLoopGroup group;
    private final Map<String, ResourceRuntime> resources = new LinkedHashMap<>();
    private final List<PeerAcceptor> acceptors = new ArrayList<>();
    private final NbdServer nbd;
    private boolean closed;

    private NodeRuntime(Options options, EventLoopGroup group, NbdServer nbd) {
        this.options = options;
        this.group = group;
        this.nbd = nbd;
    }

    /** Attaches and connects every resource of {@code localResources}, then exports them over NBD. */
    public static NodeRuntime start(List<LocalResource> localResources, Options options)
            throws IOException, InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.max(1, Math.min(2, localResources.size())),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        NbdServer nbd = NbdServer.start(NbdServerConfig.builder().bindAddress(options.nbdBind())
                .port(options.nbdPort()).build());
        NodeRuntime node = new NodeRuntime(options, group, nbd);
        try {
            for (LocalResource resource : localResources) {
                node.up(resource, epoll);
            }
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void up(LocalResource resource, boolean epoll) throws IOException {
        if (resource.volumes().size() != 1) {
            throw new IOException("resource " + resource.name() + ": jdrbd runs exactly one volume per resource, "
                    + "found " + resource.volumes().size());
        }
        Volume volume = resource.volumes().get(0).volume();
        if (volume.isDiskless()) {
            throw new IOException("resource " + resource.name() + ": diskless nodes are not supported yet");
        }
        if (!volume.hasInternalMetaData()) {
            throw new IOException("resource " + resource.name() + ": only 'meta-disk internal' is supported by the "
                    + "node yet, got '" + volume.metaDisk() + "'");
        }
        BlockDevice disk = BlockDevices.open(volume.disk(), BlockDevices.Options.defaults());
        MetadataBridge.Opened metadata;
        try {
            metadata = MetadataBridge.openInternal(disk, volume.disk());
        } catch (IOException e) {
            disk.close();
            throw e;
        }
        EngineConfig config = engineConfig(resource, volume, metadata.usableBytes());
        // the on-disk bitmap has max-peers slots; load it so out-of-sync blocks survive a restart
        Bitmap bitmap = Bitmap.forCapacity(config.deviceSizeSectors(), Math.max(metadata.superblock().maxPeers(),
                Math.max(1, config.peers().size())));
        if (metadata.superblock().maxPeers() >= config.peers().size()) {
            metadata.store().readBitmap(bitmap).join();
        }
        Engine engine = new Engine(config, MetadataBridge.toRecord(metadata.superblock()), bitmap, secureEntropy(),
                Buggify.OFF);
        ResourceRuntime runtime = new ResourceRuntime(resource.name(), group.next(), engine, disk, metadata.store(),
                metadata.superblock(), 31);
        Class<? extends SocketChannel> socketClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Map<InetSocketAddress, PeerAcceptor> byLocal = new LinkedHashMap<>();
        for (LocalPeer peer : resource.peers()) {
            if (peer.paths().isEmpty()) {
                throw new IOException("resource " + resource.name() + ": no path to " + peer.host().displayName());
            }
            LocalPeer.PathAddresses path = peer.paths().get(0);
            InetSocketAddress local = socketAddress(path.local().host(), path.local().portNumber());
            InetSocketAddress remote = socketAddress(path.peer().host(), path.peer().portNumber());
            NetSettings net = peer.net();
            PeerLink link = new PeerLink(runtime, peer.host().nodeId(), peer.host().displayName(), local, remote,
                    resource.nodeId() < peer.host().nodeId(), TimeUnit.SECONDS.toNanos(net.connectIntSeconds()),
                    net.sndbufSizeBytes(), net.rcvbufSizeBytes(), socketClass);
            runtime.addLink(link);
            PeerAcceptor acceptor = byLocal.get(local);
            if (acceptor == null) {
                acceptor = new PeerAcceptor(runtime, local, serverClass);
                byLocal.put(local, acceptor);
                acceptors.add(acceptor);
            }
            acceptor.add(link);
        }
        resources.put(resource.name(), runtime);
        ReplicatedDevice device = new ReplicatedDevice(runtime);
        NbdExport export = NbdExport.of(resource.name(), device)
                .withDescription("jdrbd resource " + resource.name() + " on " + options.hostName())
                .withMinimumBlockSize(ReplicatedDevice.SECTOR_BYTES)
                .withAccessListener(new AutoPromoter(runtime, options.autoPromote()));
        nbd.addExport(export);
        if (resources.size() == 1) {
            nbd.exports().setDefaultExportName(resource.name());
        }
        // drbdadm up: the device is attached (the engine was built with its meta-data); now connect
        runtime.admin(AdminVerb.CONNECT, EngineInput.AdminCommand.ALL_PEERS, 0);
    }

    static EngineConfig engineConfig(LocalResource resource, Volume volume, long usableBytes) {
        EngineConfig.Builder builder = EngineConfig.builder(resource.name(), resource.nodeId(), usableBytes)
                .minor(Math.max(0, volume.minor())).backingDev(volume.disk());
        List<LocalPeer> peers = new ArrayList<>(resource.peers());
        peers.sort((a, b) -> Integer.compare(a.host().nodeId(), b.host().nodeId()));
        for (LocalPeer peer : peers) {
            builder.peer(peer.host().nodeId(), peer.host().displayName());
        }
        if (!peers.isEmpty()) {
            // the engine has one set of net options per resource; DRBD allows them per connection
            NetSettings net = peers.get(0).net();
            builder.protocol(Protocol.valueOf(String.valueOf(net.protocol())))
                    .maxEpochSize(net.maxEpochSize()).maxBuffers(Math.max(32, net.maxBuffers()))
                    .pingIntNs(TimeUnit.SECONDS.toNanos(net.pingIntSeconds()))
                    .pingTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100L * net.pingTimeoutTenths()))
                    .timeoutNs(TimeUnit.MILLISECONDS.toNanos(100L * net.timeoutTenths()))
                    .koCount(net.koCount())
                    .connectIntNs(TimeUnit.SECONDS.toNanos(net.connectIntSeconds()))
                    .cramHmac(net.cramHmacAlg(), net.sharedSecret())
                    .allowTwoPrimaries(net.allowTwoPrimaries())
                    .afterSb(afterSb(net, "after-sb-0pri"), afterSb(net, "after-sb-1pri"),
                            afterSb(net, "after-sb-2pri"));
        }
        return builder.build();
    }

    private static AfterSbPolicy afterSb(NetSettings net, String option) {
        String word = net.all().value(option).orElse("disconnect").toLowerCase(Locale.ROOT);
        for (AfterSbPolicy policy : AfterSbPolicy.values()) {
            if (policy.configName().equals(word)) {
                return policy;
            }
        }
        return AfterSbPolicy.DISCONNECT;
    }

    private static InetSocketAddress socketAddress(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static Entropy secureEntropy() {
        SecureRandom random = new SecureRandom();
        return random::nextLong;
    }

    public Options options() {
        return options;
    }

    public Map<String, ResourceRuntime> resources() {
        return resources;
    }

    public ResourceRuntime resource(String name) {
        return resources.get(name);
    }

    public NbdServer nbd() {
        return nbd;
    }

    /** {@code nbd://HOST:PORT/RESOURCE}. */
    public String nbdUri(String resource) {
        return nbd.uri(resource);
    }

    /** drbdadm down for every resource, then stops the NBD server and the event loops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nbd.close();
        for (ResourceRuntime runtime : resources.values()) {
            try {
                runtime.admin(AdminVerb.DOWN, EngineInput.AdminCommand.ALL_PEERS, 0).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // down is best effort on the way out; the sockets close below in any case
            }
            runtime.shutdown().join();
        }
        for (PeerAcceptor acceptor : acceptors) {
            acceptor.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
