package io.jdrbd.proxy;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report on one connection.
 *
 * @param peerReachable the probe link to the peer proxy is up ("Connected")
 * @param sockets the DRBD sockets being carried now
 * @param events recent events (peer lost / reached, errors), oldest first
 */
public record ConnectionStatus(ProxyConnectionSpec spec, InetSocketAddress insideAddress,
                               InetSocketAddress outsideAddress, boolean peerReachable,
                               ConnectionStats.Snapshot stats, List<Socket> sockets, List<String> events) {

    public ConnectionStatus {
        sockets = List.copyOf(sockets);
        events = List.copyOf(events);
    }

    /** drbd-proxy-ctl's status word. */
    public String statusWord() {
        return peerReachable ? "Connected" : "Connecting";
    }

    /**
     * One carried DRBD socket; packet counts by DRBD packet name ({@code P_DATA}, ...) in each
     * direction, as far as the stream parsed as DRBD packets ({@code parsed} false after foreign bytes).
     */
    public record Socket(String label, long insideReadBytes, long outsideWrittenBytes, long insideWrittenBytes,
                         long heldBytes, Map<String, Long> packetsFromNode, Map<String, Long> packetsToNode,
                         boolean parsed) {

        public Socket {
            packetsFromNode = Collections.unmodifiableMap(new LinkedHashMap<>(packetsFromNode));
            packetsToNode = Collections.unmodifiableMap(new LinkedHashMap<>(packetsToNode));
        }
    }
}
