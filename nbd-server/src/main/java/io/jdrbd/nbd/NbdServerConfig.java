package io.jdrbd.nbd;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link NbdServer} listens and what it bounds. Build with {@link #builder()}.
 *
 * <p>Limits and why: {@code maxPayloadBytes} is the protocol's default maximum (32 MiB), which
 * every client respects without being told and which {@code NBD_INFO_BLOCK_SIZE} advertises;
 * {@code maxInFlightRequests} is above the deepest client queue seen (the kernel's 128 tags);
 * {@code maxInFlightBytes} bounds the read buffers and write payloads one connection holds and
 * must admit at least one maximal request.
 */
public final class NbdServerConfig {
    private final String bindAddress;
    private final int port;
    private final SslContext tls;
    private final boolean tlsRequired;
    private final int maxPayloadBytes;
    private final int maxInFlightRequests;
    private final long maxInFlightBytes;
    private final int ioThreads;
    private final Duration handshakeTimeout;
    private final int maxOptionsPerHandshake;

    private NbdServerConfig(Builder b) {
        this.bindAddress = Objects.requireNonNull(b.bindAddress, "bindAddress");
        this.port = b.port;
        this.tls = b.tls;
        this.tlsRequired = b.tlsRequired;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.maxInFlightRequests = b.maxInFlightRequests;
        this.maxInFlightBytes = b.maxInFlightBytes;
        this.ioThreads = b.ioThreads;
        this.handshakeTimeout = Objects.requireNonNull(b.handshakeTimeout, "handshakeTimeout");
        this.maxOptionsPerHandshake = b.maxOptionsPerHandshake;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (tlsRequired && tls == null) {
            throw new IllegalArgumentException("tlsRequired needs a TLS context");
        }
        if (maxPayloadBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxPayloadBytes below the 1 MiB the protocol recommends");
        }
        if (maxInFlightRequests < 1) {
            throw new IllegalArgumentException("maxInFlightRequests < 1");
        }
        if (maxInFlightBytes < maxPayloadBytes) {
            throw new IllegalArgumentException("maxInFlightBytes must admit one maximal request");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads < 1");
        }
        if (maxOptionsPerHandshake < 8) {
            throw new IllegalArgumentException("maxOptionsPerHandshake < 8 breaks real clients");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }

    /** The TLS context for STARTTLS, or {@code null} when TLS is not offered. */
    public SslContext tls() {
        return tls;
    }

    public boolean tlsRequired() {
        return tlsRequired;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public int maxOptionsPerHandshake() {
        return maxOptionsPerHandshake;
    }

    /** Builder with the defaults described on {@link NbdServerConfig}. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = 10809;
        private SslContext tls;
        private boolean tlsRequired;
        private int maxPayloadBytes = RequestDecoder.DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxInFlightRequests = 256;
        private long maxInFlightBytes = 64L * 1024 * 1024;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private int maxOptionsPerHandshake = 256;

        private Builder() {
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        /** 0 lets the system choose; {@link NbdServer#port()} reports the bound port. */
        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder tls(SslContext value) {
            tls = value;
            return this;
        }

        /** Refuse every option except STARTTLS and ABORT until TLS is active. */
        public Builder tlsRequired(boolean value) {
            tlsRequired = value;
            return this;
        }

        public Builder maxPayloadBytes(int value) {
            maxPayloadBytes = value;
            return this;
        }

        public Builder maxInFlightRequests(int value) {
            maxInFlightRequests = value;
            return this;
        }

        public Builder maxInFlightBytes(long value) {
            maxInFlightBytes = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        /** A client that has not reached transmission by then is disconnected. */
        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = value;
            return this;
        }

        public Builder maxOptionsPerHandshake(int value) {
            maxOptionsPerHandshake = value;
            return this;
        }

        public NbdServerConfig build() {
            return new NbdServerConfig(this);
        }
    }
}
