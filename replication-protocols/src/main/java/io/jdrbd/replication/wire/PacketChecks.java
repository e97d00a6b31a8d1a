package io.jdrbd.replication.wire;

import java.util.Objects;

/** Argument checks shared by the packet records (programmer errors, not wire errors). */
final class PacketChecks {

    private PacketChecks() {
    }

    static PacketType requireLayout(PacketType type, Layout layout) {
        Objects.requireNonNull(type, "type");
        if (type.layout() != layout) {
            throw new IllegalArgumentException(type + " does not have the " + layout + " layout");
        }
        return type;
    }

    static PacketType requireOneOf(PacketType type, PacketType... allowed) {
        Objects.requireNonNull(type, "type");
        for (PacketType candidate : allowed) {
            if (candidate == type) {
                return type;
            }
        }
        throw new IllegalArgumentException(type + " is not valid here");
    }

    /** A per-volume packet: 0…65534. */
    static int requireVolume(int volume) {
        if (volume < 0 || volume > Header.MAX_VOLUME) {
            throw new IllegalArgumentException("volume " + volume + " out of range 0.." + Header.MAX_VOLUME);
        }
        return volume;
    }

    /** A packet that may be per volume or connection-wide: -1…65534. */
    static int requireVolumeOrConnection(int volume) {
        if (volume != Header.CONNECTION_VOLUME) {
            requireVolume(volume);
        }
        return volume;
    }

    static byte[] requireLength(byte[] bytes, String field, int min, int max) {
        Objects.requireNonNull(bytes, field);
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(field + " has " + bytes.length + " bytes, allowed " + min + ".." + max);
        }
        return bytes.clone();
    }

    static String requireString(String value, String field, int maxBytesWithNul) {
        Objects.requireNonNull(value, field);
        int encoded = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (encoded + 1 > maxBytesWithNul) {
            throw new IllegalArgumentException(field + " is " + encoded + " bytes, at most " + (maxBytesWithNul - 1));
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a NUL character");
        }
        return value;
    }

    static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }
}
