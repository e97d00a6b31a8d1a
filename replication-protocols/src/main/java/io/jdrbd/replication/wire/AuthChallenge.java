package io.jdrbd.replication.wire;

import java.util.Arrays;

/** P_AUTH_CHALLENGE: the 64 random bytes of cram-hmac ({@link Limits#CHALLENGE_BYTES}). */
public record AuthChallenge(byte[] nonce) implements Packet {

    public AuthChallenge {
        nonce = PacketChecks.requireLength(nonce, "nonce", Limits.CHALLENGE_BYTES, Limits.CHALLENGE_BYTES);
    }

    /** A copy of the challenge bytes. */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public PacketType type() {
        return PacketType.P_AUTH_CHALLENGE;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthChallenge that && Arrays.equals(nonce, that.nonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "AuthChallenge[nonce=" + PacketChecks.hex(nonce) + "]";
    }
}
