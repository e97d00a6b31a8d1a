package io.jdrbd.proxy;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a proxy process serves.
 *
 * @param connections the connections to start with (more can be added through the control port)
 * @param controlListen where {@code proxy-ctl} connects (loopback; port 0 picks one), or null for none
 * @param compressionThreads threads compressing blocks (several cores; order is kept per socket)
 * @param ioThreads Netty event-loop threads
 */
public record ProxyConfig(List<ProxyConnectionSpec> connections, InetSocketAddress controlListen,
                          int compressionThreads, int ioThreads) {

    public ProxyConfig {
        connections = List.copyOf(connections);
        if (compressionThreads < 1) {
            throw new IllegalArgumentException("compressionThreads must be at least 1, got " + compressionThreads);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
    }

    /** Connections plus a control port, with one compression and one I/O thread per core. */
    public static ProxyConfig of(List<ProxyConnectionSpec> connections, InetSocketAddress controlListen) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ProxyConfig(connections, controlListen, cores, Math.max(1, Math.min(cores, 4)));
    }
}
