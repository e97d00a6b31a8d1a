package io.jdrbd.replication.wire;

import java.util.Arrays;

/** P_AUTH_RESPONSE: the HMAC digest answering the peer's challenge (1…64 bytes, the hash's size). */
public record AuthResponse(byte[] digest) implements Packet {

    public AuthResponse {
        digest = PacketChecks.requireLength(digest, "digest", 1, Limits.MAX_DIGEST_BYTES);
    }

    /** A copy of the digest bytes. */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public PacketType type() {
        return PacketType.P_AUTH_RESPONSE;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthResponse that && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "AuthResponse[digest=" + PacketChecks.hex(digest) + "]";
    }
}
