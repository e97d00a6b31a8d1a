package io.jdrbd.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One proxied DRBD connection, as {@code drbd-proxy-ctl add connection} takes it.
 *
 * @param name the connection name (drbdadm's {@code RES-LOCALHOST-PEERHOST})
 * @param insideListen where the local node connects to (port 0 picks a free port)
 * @param outsideListen where the peer proxy connects to (port 0 picks a free port)
 * @param outsidePeer the peer proxy's outside address
 * @param insideTarget the local node's DRBD address, connected to when the peer proxy opens a tunnel
 * @param insideSource the local address the connection to {@code insideTarget} is bound to, so the
 *     node can recognise its peer by source IP (e.g. the peer node's 127.0.0.x); null to let the
 *     system choose
 * @param memlimitBytes the most bytes read from the node and not yet written to the peer proxy
 * @param zstdLevel 1..22, or 0 for no compression
 */
public record ProxyConnectionSpec(String name, InetSocketAddress insideListen, InetSocketAddress outsideListen,
                                  InetSocketAddress outsidePeer, InetSocketAddress insideTarget,
                                  InetAddress insideSource, long memlimitBytes, int zstdLevel) {

    /** The smallest memlimit: two blocks per socket, so both DRBD sockets can always make progress. */
    public static final long MEMLIMIT_MIN_BYTES = 4L * ProxyLimits.BLOCK_BYTES;

    public ProxyConnectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(insideListen, "insideListen");
        Objects.requireNonNull(outsideListen, "outsideListen");
        Objects.requireNonNull(outsidePeer, "outsidePeer");
        Objects.requireNonNull(insideTarget, "insideTarget");
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("connection name '" + name + "' must be non-empty without spaces");
        }
        if (memlimitBytes < MEMLIMIT_MIN_BYTES) {
            throw new IllegalArgumentException("memlimit " + memlimitBytes + " of connection " + name
                    + " is below the minimum " + MEMLIMIT_MIN_BYTES);
        }
        if (zstdLevel < 0 || zstdLevel > CompressionLevels.ZSTD_MAX) {
            throw new IllegalArgumentException("zstd level " + zstdLevel + " of connection " + name
                    + " is outside 0 (off) .. " + CompressionLevels.ZSTD_MAX);
        }
    }

    public ProxyConnectionSpec withMemlimit(long bytes) {
        return new ProxyConnectionSpec(name, insideListen, outsideListen, outsidePeer, insideTarget, insideSource,
                bytes, zstdLevel);
    }

    public ProxyConnectionSpec withZstdLevel(int level) {
        return new ProxyConnectionSpec(name, insideListen, outsideListen, outsidePeer, insideTarget, insideSource,
                memlimitBytes, level);
    }
}
