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

    /** A request size: more than 0, a multiple of 512, at most DRBD_MAX_BIO_SIZE. */
    static int requireBlksize(int blksize) {
        if (blksize <= 0 || blksize > Limits.DRBD_MAX_BIO_SIZE || blksize % Limits.SECTOR_BYTES != 0) {
            throw new IllegalArgumentException("blksize " + blksize
                    + " is not a positive multiple of 512 up to " + Limits.DRBD_MAX_BIO_SIZE);
        }
        return blksize;
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
        if (value.length() + 1 > maxBytesWithNul) {
            throw new IllegalArgumentException(field + " is " + value.length() + " bytes, at most "
                    + (maxBytesWithNul - 1));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException(field + " must be printable ASCII");
            }
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
