package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.AfterSbPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one engine (one resource, one volume) is configured with: identities, and the drbd.conf net
 * options this engine uses, in DRBD's units converted to nanoseconds where they are durations. Built
 * with {@link #builder}, which starts from DRBD's defaults (drbd_limits.h) and checks every value and
 * the relations between them when {@link Builder#build} runs.
 *
 * @param resourceName drbd.conf resource name ({@code name:} in events2)
 * @param nodeId this node's node-id (0…31)
 * @param minor device minor ({@code minor:} in events2)
 * @param backingDev backing device path for events2 ({@code none} if diskless)
 * @param deviceSizeBytes usable size of the local backing device (multiple of 4 KiB)
 * @param peers the other nodes, ascending node id
 * @param protocol wire protocol A, B or C
 * @param maxEpochSize writes per epoch before a barrier is forced (max-epoch-size)
 * @param maxBuffers pages (4 KiB) of received writes a secondary holds before it stops reading (max-buffers)
 * @param maxIoDepth upper-layer requests in flight before new ones are refused with EIO
 * @param alExtents al-extents: 4 MiB extents the activity log keeps hot
 * @param pingIntNs ping-int: idle time on the meta socket before a P_PING
 * @param pingTimeoutNs ping-timeout: time for the P_PING_ACK to arrive
 * @param timeoutNs timeout: the unit of the request timer
 * @param koCount ko-count: request timer = timeout × ko-count (0 disables)
 * @param connectIntNs connect-int: pause between connection attempts
 * @param cramHmacAlg cram-hmac-alg ("" = no authentication), a kernel hash name like {@code sha256}
 * @param sharedSecret shared-secret (at most 63 bytes)
 * @param allowTwoPrimaries allow-two-primaries (requires protocol C)
 * @param afterSb0p after-sb-0pri
 * @param afterSb1p after-sb-1pri
 * @param afterSb2p after-sb-2pri
 */
public record EngineConfig(String resourceName, int nodeId, int minor, String backingDev, long deviceSizeBytes,
                           List<PeerConfig> peers, Protocol protocol, int maxEpochSize, int maxBuffers,
                           int maxIoDepth, int alExtents, long pingIntNs, long pingTimeoutNs, long timeoutNs,
                           int koCount,
                           long connectIntNs, String cramHmacAlg, String sharedSecret, boolean allowTwoPrimaries,
                           AfterSbPolicy afterSb0p, AfterSbPolicy afterSb1p, AfterSbPolicy afterSb2p) {

    /** A peer node: its node-id and the connection's name ({@code conn-name:}, the peer's host name). */
    public record PeerConfig(int nodeId, String connName) {
        public PeerConfig {
            requireRange("peer node-id", nodeId, 0, MetadataRecord.MAX_NODES - 1);
            requireWord("conn-name", connName);
        }
    }

    private static final long SECOND_NS = 1_000_000_000L;
    private static final long DECISECOND_NS = 100_000_000L;
    /** The bitmap granularity: a device is a whole number of 4 KiB blocks. */
    public static final int BLOCK_BYTES = 4096;

    public EngineConfig {
        requireWord("resource name", resourceName);
        requireRange("node-id", nodeId, 0, MetadataRecord.MAX_NODES - 1);
        requireRange("minor", minor, 0, (1 << 20) - 1);
        requireWord("backing_dev", backingDev);
        if (deviceSizeBytes <= 0 || deviceSizeBytes % BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("device size " + deviceSizeBytes + " is not a positive multiple of "
                    + BLOCK_BYTES);
        }
        peers = List.copyOf(peers);
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).nodeId() == nodeId) {
                throw new IllegalArgumentException("peer node-id " + nodeId + " is this node's own id");
            }
            if (i > 0 && peers.get(i - 1).nodeId() >= peers.get(i).nodeId()) {
                throw new IllegalArgumentException("peers must be unique and in ascending node-id order");
            }
        }
        Objects.requireNonNull(protocol, "protocol");
        requireRange("max-epoch-size", maxEpochSize, 1, 20000);
        requireRange("max-buffers", maxBuffers, 32, 131072);
        requireRange("max-io-depth", maxIoDepth, 4, Integer.MAX_VALUE);
        requireRange("al-extents", alExtents, 67, 65534);
        requireRangeNs("ping-int", pingIntNs, SECOND_NS, 120 * SECOND_NS);
        requireRangeNs("ping-timeout", pingTimeoutNs, DECISECOND_NS, 300 * DECISECOND_NS);
        requireRangeNs("timeout", timeoutNs, DECISECOND_NS, 600 * DECISECOND_NS);
        requireRange("ko-count", koCount, 0, 200);
        requireRangeNs("connect-int", connectIntNs, SECOND_NS, 120 * SECOND_NS);
        Objects.requireNonNull(cramHmacAlg, "cramHmacAlg");
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        if (!cramHmacAlg.isEmpty()) {
            javaHmacName(cramHmacAlg);
        }
        if (sharedSecret.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException("shared-secret is longer than 63 bytes");
        }
        // DRBD refuses allow-two-primaries without protocol C (ERR_NOT_PROTO_C): with A or B the two
        // primaries could not order their conflicting writes.
        if (allowTwoPrimaries && protocol != Protocol.C) {
            throw new IllegalArgumentException("allow-two-primaries requires protocol C");
        }
        Objects.requireNonNull(afterSb0p, "after-sb-0pri");
        Objects.requireNonNull(afterSb1p, "after-sb-1pri");
        Objects.requireNonNull(afterSb2p, "after-sb-2pri");
    }

    /** Device size in 512-byte sectors. */
    public long deviceSizeSectors() {
        return deviceSizeBytes / 512;
    }

    /** The request timer: timeout × ko-count, 0 when ko-count is 0. */
    public long requestTimeoutNs() {
        return timeoutNs * koCount;
    }

    /** The configured peer with {@code nodeId}, or null. */
    public PeerConfig peer(int peerNodeId) {
        for (PeerConfig peer : peers) {
            if (peer.nodeId() == peerNodeId) {
                return peer;
            }
        }
        return null;
    }

    /** The javax.crypto Mac name for a kernel hash name (cram-hmac-alg), or an exception naming it. */
    public static String javaHmacName(String kernelHash) {
        switch (kernelHash.toLowerCase(Locale.ROOT)) {
            case "md5":
                return "HmacMD5";
            case "sha1":
                return "HmacSHA1";
            case "sha224":
                return "HmacSHA224";
            case "sha256":
                return "HmacSHA256";
            case "sha384":
                return "HmacSHA384";
            case "sha512":
                return "HmacSHA512";
            default:
                throw new IllegalArgumentException("cram-hmac-alg '" + kernelHash
                        + "' is not supported (md5, sha1, sha224, sha256, sha384, sha512)");
        }
    }

    public static Builder builder(String resourceName, int nodeId, long deviceSizeBytes) {
        return new Builder(resourceName, nodeId, deviceSizeBytes);
    }

    private static void requireWord(String what, String value) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(what + " must be a non-empty word without spaces: '" + value + "'");
        }
    }

    private static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " outside " + min + ".." + max);
        }
    }

    private static void requireRangeNs(String what, long valueNs, long minNs, long maxNs) {
        if (valueNs < minNs || valueNs > maxNs) {
            throw new IllegalArgumentException(what + " " + valueNs + " ns outside " + minNs + ".." + maxNs + " ns");
        }
    }

    /** Starts from DRBD's defaults; every setter names the drbd.conf option it sets. */
    public static final class Builder {
        private final String resourceName;
        private final int nodeId;
        private final long deviceSizeBytes;
        private int minor;
        private String backingDev = "none";
        private final List<PeerConfig> peers = new ArrayList<>();
        private Protocol protocol = Protocol.C;
        private int maxEpochSize = 2048;
        private int maxBuffers = 2048;
        private int maxIoDepth = 8000;
        private int alExtents = 1237;
        private long pingIntNs = 10 * SECOND_NS;
        private long pingTimeoutNs = 5 * DECISECOND_NS;
        private long timeoutNs = 60 * DECISECOND_NS;
        private int koCount = 7;
        private long connectIntNs = 10 * SECOND_NS;
        private String cramHmacAlg = "";
        private String sharedSecret = "";
        private boolean allowTwoPrimaries;
        private AfterSbPolicy afterSb0p = AfterSbPolicy.DISCONNECT;
        private AfterSbPolicy afterSb1p = AfterSbPolicy.DISCONNECT;
        private AfterSbPolicy afterSb2p = AfterSbPolicy.DISCONNECT;

        private Builder(String resourceName, int nodeId, long deviceSizeBytes) {
            this.resourceName = resourceName;
            this.nodeId = nodeId;
            this.deviceSizeBytes = deviceSizeBytes;
        }

        public Builder minor(int value) {
            minor = value;
            return this;
        }

        public Builder backingDev(String value) {
            backingDev = value;
            return this;
        }

        public Builder peer(int peerNodeId, String connName) {
            peers.add(new PeerConfig(peerNodeId, connName));
            return this;
        }

        public Builder protocol(Protocol value) {
            protocol = value;
            return this;
        }

        public Builder maxEpochSize(int value) {
            maxEpochSize = value;
            return this;
        }

        public Builder maxBuffers(int value) {
            maxBuffers = value;
            return this;
        }

        public Builder maxIoDepth(int value) {
            maxIoDepth = value;
            return this;
        }

        public Builder alExtents(int value) {
            alExtents = value;
            return this;
        }

        public Builder pingIntNs(long value) {
            pingIntNs = value;
            return this;
        }

        public Builder pingTimeoutNs(long value) {
            pingTimeoutNs = value;
            return this;
        }

        public Builder timeoutNs(long value) {
            timeoutNs = value;
            return this;
        }

        public Builder koCount(int value) {
            koCount = value;
            return this;
        }

        public Builder connectIntNs(long value) {
            connectIntNs = value;
            return this;
        }

        /** cram-hmac-alg and shared-secret together. */
        public Builder cramHmac(String alg, String secret) {
            cramHmacAlg = alg;
            sharedSecret = secret;
            return this;
        }

        public Builder allowTwoPrimaries(boolean value) {
            allowTwoPrimaries = value;
            return this;
        }

        public Builder afterSb(AfterSbPolicy zeroPrimaries, AfterSbPolicy onePrimary, AfterSbPolicy twoPrimaries) {
            afterSb0p = zeroPrimaries;
            afterSb1p = onePrimary;
            afterSb2p = twoPrimaries;
            return this;
        }

        public EngineConfig build() {
            List<PeerConfig> sorted = new ArrayList<>(peers);
            sorted.sort(Comparator.comparingInt(PeerConfig::nodeId));
            return new EngineConfig(resourceName, nodeId, minor, backingDev, deviceSizeBytes, sorted, protocol,
                    maxEpochSize, maxBuffers, maxIoDepth, alExtents, pingIntNs, pingTimeoutNs, timeoutNs, koCount,
                    connectIntNs,
                    cramHmacAlg, sharedSecret, allowTwoPrimaries, afterSb0p, afterSb1p, afterSb2p);
        }
    }
}
