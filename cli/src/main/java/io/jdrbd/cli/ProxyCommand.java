package io.jdrbd.cli;

import io.jdrbd.node.config.HostNames;
import io.jdrbd.proxy.ProxyConfig;
import io.jdrbd.proxy.ProxyConnectionSpec;
import io.jdrbd.proxy.ProxyServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code jdrbd proxy}: the replication proxy (drbd-proxy). Serves every proxied connection of this
 * host found in the drbd.conf, plus a control port for {@code jdrbd proxy-ctl}; runs until
 * SIGINT/SIGTERM or {@code proxy-ctl -c shutdown}.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run the replication proxy (drbd-proxy) for this host's proxy sections.")
public final class ProxyCommand implements Callable<Integer> {

    /** drbd-proxy's control port. */
    public static final int DEFAULT_CONTROL_PORT = 7787;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "drbd.conf to read (default /etc/drbd.conf).")
    Path config = Path.of("/etc/drbd.conf");

    @Option(names = "--node", paramLabel = "HOST",
            description = "Serve the proxy sections of host HOST (default: JDRBD_NODE, else this machine's name).")
    String node;

    @Option(names = "--control", paramLabel = "HOST:PORT",
            description = "Control port for proxy-ctl, on loopback (default 127.0.0.1:" + DEFAULT_CONTROL_PORT
                    + "; port 0 picks one).")
    String control = "127.0.0.1:" + DEFAULT_CONTROL_PORT;

    @Option(names = "--control-file", paramLabel = "FILE",
            description = "Write the bound control address (HOST:PORT) to FILE, for proxy-ctl --control-file.")
    Path controlFile;

    @Option(names = "--compression-threads", paramLabel = "N", description = "Compression threads (default: cores).")
    int compressionThreads = Runtime.getRuntime().availableProcessors();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String host = node != null ? node : System.getenv().getOrDefault("JDRBD_NODE", HostNames.local());
        String text = Files.readString(config, StandardCharsets.UTF_8);
        List<ProxyConnectionSpec> connections = ProxySections.connections(text, config.toString(), host);
        PrintWriter out = spec.commandLine().getOut();
        if (connections.isEmpty()) {
            spec.commandLine().getErr().println("jdrbd proxy: no proxy sections for host " + host + " in " + config
                    + "; serving only the control port");
        }
        InetSocketAddress controlAddress = io.jdrbd.proxy.ControlCommands.address(control);
        ProxyServer server = ProxyServer.start(new ProxyConfig(connections, controlAddress,
                Math.max(1, compressionThreads), Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))));
        InetSocketAddress bound = server.controlAddress();
        String controlText = bound.getAddress().getHostAddress() + ":" + bound.getPort();
        if (controlFile != null) {
            Files.writeString(controlFile, controlText + "\n", StandardCharsets.UTF_8);
        }
        out.println("jdrbd proxy: control " + controlText);
        for (ProxyConnectionSpec c : connections) {
            out.println("connection " + c.name() + " inside " + server.insideAddress(c.name()) + " outside "
                    + server.outsideAddress(c.name()) + " peer " + c.outsidePeer() + " node " + c.insideTarget()
                    + " zstd " + c.zstdLevel() + " memlimit " + c.memlimitBytes());
        }
        out.flush();
        Signal.handle(new Signal("INT"), s -> server.close());
        Signal.handle(new Signal("TERM"), s -> server.close());
        server.terminated().join();
        return 0;
    }
}
