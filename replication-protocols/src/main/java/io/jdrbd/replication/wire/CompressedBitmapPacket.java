package io.jdrbd.replication.wire;

import java.util.Arrays;

/**
 * P_COMPRESSED_BITMAP: the encoding byte (bits 0-3 encoding = 2 RLE_VLI_Bits, 4-6 pad bits, 7 start
 * polarity) followed by the VLI code bytes. The run-length coding itself belongs to the bitmap code;
 * this record only frames the bytes (copied, at most 4080).
 */
public record CompressedBitmapPacket(int volume, int encoding, byte[] code) implements Packet {

    public static final int RLE_VLI_BITS = 2;

    public CompressedBitmapPacket {
        PacketChecks.requireVolume(volume);
        if (encoding < 0 || encoding > 0xFF) {
            throw new IllegalArgumentException("encoding is a u8");
        }
        code = PacketChecks.requireLength(code, "code", 1, Limits.MAX_CONTROL_PAYLOAD_BYTES - 1);
    }

    /** Build the encoding byte. */
    public static int encodingByte(int encoding, int padBits, boolean firstRunSet) {
        return (encoding & 0x0F) | ((padBits & 0x07) << 4) | (firstRunSet ? 0x80 : 0);
    }

    public int encodingKind() {
        return encoding & 0x0F;
    }

    public int padBits() {
        return (encoding >>> 4) & 0x07;
    }

    public boolean firstRunSet() {
        return (encoding & 0x80) != 0;
    }

    @Override
    public byte[] code() {
        return code.clone();
    }

    @Override
    public PacketType type() {
        return PacketType.P_COMPRESSED_BITMAP;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompressedBitmapPacket that && volume == that.volume && encoding == that.encoding
                && Arrays.equals(code, that.code);
    }

    @Override
    public int hashCode() {
        return volume * 31 + Arrays.hashCode(code);
    }

    @Override
    public String toString() {
        return "CompressedBitmapPacket[volume=" + volume + ", encoding=0x" + Integer.toHexString(encoding)
                + ", code=" + code.length + " bytes]";
    }
}
