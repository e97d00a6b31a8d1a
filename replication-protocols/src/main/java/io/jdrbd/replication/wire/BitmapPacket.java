package io.jdrbd.replication.wire;

import java.util.Arrays;

/**
 * P_BITMAP: plain bitmap words, little-endian u64 (bit i of the transfer = bit i%8 of byte i/8). A
 * packet with no words terminates a transfer that ended with a plain packet. The words are copied
 * (at most 4080 bytes) so that bitmap packets need no release.
 */
public record BitmapPacket(int volume, long[] words) implements Packet {

    /** Words per full packet behind an h100 header (4096 - 16) / 8. */
    public static final int WORDS_PER_PACKET_H100 = Limits.MAX_CONTROL_PAYLOAD_BYTES / 8;

    public BitmapPacket {
        PacketChecks.requireVolume(volume);
        words = words.clone();
        if (words.length > WORDS_PER_PACKET_H100) {
            throw new IllegalArgumentException(words.length + " words exceed " + WORDS_PER_PACKET_H100);
        }
    }

    @Override
    public long[] words() {
        return words.clone();
    }

    /** The number of words without copying. */
    public int wordCount() {
        return words.length;
    }

    /** Word {@code index} without copying. */
    public long word(int index) {
        return words[index];
    }

    @Override
    public PacketType type() {
        return PacketType.P_BITMAP;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BitmapPacket that && volume == that.volume && Arrays.equals(words, that.words);
    }

    @Override
    public int hashCode() {
        return volume * 31 + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "BitmapPacket[volume=" + volume + ", words=" + words.length + "]";
    }
}
