package io.jdrbd.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A running proxy: many connections, one control port. Start it in-process with
 * {@link #start(ProxyConfig)}; stop it with {@link #close()} (or the control command {@code shutdown}).
 */
public final class ProxyServer implements AutoCloseable {

    private final ProxyRuntime runtime;
    private final Map<String, ProxyConnection> connections = new TreeMap<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private ControlServer control;

    private ProxyServer(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    /** Starts the listeners of every configured connection and the control port. */
    public static ProxyServer start(ProxyConfig config) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        Class<? extends ServerChannel> serverType = NioServerSocketChannel.class;
        Class<? extends Channel> channelType = NioSocketChannel.class;
        ProxyServer server = new ProxyServer(new ProxyRuntime(group, serverType, channelType,
                new BlockCompressor(config.compressionThreads())));
        try {
            for (ProxyConnectionSpec spec : config.connections()) {
                server.addConnection(spec);
            }
            if (config.controlListen() != null) {
                server.control = ControlServer.start(server, runtime(server), config.controlListen());
            }
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static ProxyRuntime runtime(ProxyServer server) {
        return server.runtime;
    }

    /** Adds and starts a connection; fails when the name is taken or a listen address is in use. */
    public synchronized void addConnection(ProxyConnectionSpec spec) throws InterruptedException {
        if (connections.containsKey(spec.name())) {
            throw new IllegalArgumentException("connection " + spec.name() + " exists already");
        }
        ProxyConnection connection = new ProxyConnection(runtime, spec);
        connection.start();
        connections.put(spec.name(), connection);
    }

    /** Closes a connection's listeners and tunnels (the nodes see their sockets close). */
    public synchronized void removeConnection(String name) {
        ProxyConnection connection = connections.remove(name);
        if (connection == null) {
            throw new NoSuchElementException("no connection " + name);
        }
        connection.close();
    }

    /**
     * Changes what can change while running: memlimit, zstd level (for tunnels opened later),
     * outside peer and inside target/source (for links opened later). Listen addresses stay.
     */
    public synchronized void updateConnection(String name, UnaryOperator<ProxyConnectionSpec> change) {
        ProxyConnection connection = connection(name);
        ProxyConnectionSpec before = connection.spec();
        ProxyConnectionSpec after = change.apply(before);
        if (!after.name().equals(before.name()) || !after.insideListen().equals(before.insideListen())
                || !after.outsideListen().equals(before.outsideListen())) {
            throw new IllegalArgumentException("connection " + name + ": name and listen addresses cannot change");
        }
        connection.updateSpec(after);
    }

    public synchronized void setMemlimit(String name, long bytes) {
        updateConnection(name, spec -> spec.withMemlimit(bytes));
    }

    /** The address the local node connects to for connection {@code name} (the bound port when 0 was asked). */
    public synchronized InetSocketAddress insideAddress(String name) {
        return connection(name).insideAddress();
    }

    /** The address the peer proxy connects to for connection {@code name}. */
    public synchronized InetSocketAddress outsideAddress(String name) {
        return connection(name).outsideAddress();
    }

    /** The control port, or null when none was configured. */
    public InetSocketAddress controlAddress() {
        return control == null ? null : control.address();
    }

    /** A report of every connection, in name order. */
    public synchronized List<ConnectionStatus> connections() {
        List<ConnectionStatus> result = new ArrayList<>();
        for (ProxyConnection connection : connections.values()) {
            result.add(status(connection));
        }
        return result;
    }

    public synchronized ConnectionStatus connectionStatus(String name) {
        return status(connection(name));
    }

    private ConnectionStatus status(ProxyConnection connection) {
        List<ConnectionStatus.Socket> sockets = new ArrayList<>();
        for (Tunnel tunnel : connection.tunnels()) {
            sockets.add(new ConnectionStatus.Socket(tunnel.label(), tunnel.counters.insideReadBytes,
                    tunnel.counters.outsideWrittenBytes, tunnel.counters.insideWrittenBytes, tunnel.heldBytes(),
                    names(tunnel.packetsFromNode), names(tunnel.packetsToNode),
                    !tunnel.packetsFromNode.lost() && !tunnel.packetsToNode.lost()));
        }
        sockets.sort(java.util.Comparator.comparing(ConnectionStatus.Socket::label));
        return new ConnectionStatus(connection.spec(), connection.insideAddress(), connection.outsideAddress(),
                connection.peerReachable(), connection.stats().snapshot(), sockets, connection.events());
    }

    private static Map<String, Long> names(PacketCounter counter) {
        Map<String, Long> result = new java.util.LinkedHashMap<>();
        counter.counts().forEach((type, count) -> result.put(type.name(), count));
        if (counter.unknownCommands() > 0) {
            result.put("unknown", counter.unknownCommands());
        }
        return result;
    }

    private ProxyConnection connection(String name) {
        ProxyConnection connection = connections.get(name);
        if (connection == null) {
            throw new NoSuchElementException("no connection " + name);
        }
        return connection;
    }

    /** Completes when the proxy has shut down (by {@link #close()} or the {@code shutdown} command). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (terminated.isDone()) {
                return;
            }
            if (control != null) {
                control.close();
            }
            connections.values().forEach(ProxyConnection::close);
            connections.clear();
        }
        runtime.group().shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        runtime.compressor().close();
        terminated.complete(null);
    }
}
