package io.jdrbd.replication.wire;

import java.util.Arrays;

/**
 * P_UUIDS110 ({@code p_uuids110}): the sender's UUID set towards one peer.
 *
 * @param currentUuid the sender's current UUID
 * @param dirtyBits bits set in the sender's bitmap towards the receiver
 * @param uuidFlags {@link UuidFlags} bits
 * @param nodeMask weak nodes (STABLE + NEW_DATAGEN) or authoritative nodes (not STABLE)
 * @param bitmapUuidsMask bit i set: a bitmap UUID for node i follows (bits 32…63 zero)
 * @param bitmapUuids one per set bit of the mask, ascending node id
 * @param historyUuids newest first (DRBD sends {@link Limits#HISTORY_UUIDS})
 */
public record Uuids110Packet(int volume, long currentUuid, long dirtyBits, long uuidFlags, long nodeMask,
                             long bitmapUuidsMask, long[] bitmapUuids, long[] historyUuids) implements Packet {

    /** The fixed part before the UUID arrays. */
    public static final int FIXED_BYTES = 40;

    public Uuids110Packet {
        PacketChecks.requireVolume(volume);
        if ((bitmapUuidsMask >>> Limits.MAX_PEERS) != 0) {
            throw new IllegalArgumentException("bitmap_uuids_mask has bits above node " + (Limits.MAX_PEERS - 1));
        }
        bitmapUuids = bitmapUuids.clone();
        historyUuids = historyUuids.clone();
        if (bitmapUuids.length != Long.bitCount(bitmapUuidsMask)) {
            throw new IllegalArgumentException(bitmapUuids.length + " bitmap UUIDs for mask with "
                    + Long.bitCount(bitmapUuidsMask) + " bits");
        }
        if (FIXED_BYTES + 8 * (bitmapUuids.length + historyUuids.length) > Layout.UUIDS110.maxPayloadBytes()) {
            throw new IllegalArgumentException("too many history UUIDs: " + historyUuids.length);
        }
    }

    /** A copy of the bitmap UUIDs, ascending node id of the mask's set bits. */
    @Override
    public long[] bitmapUuids() {
        return bitmapUuids.clone();
    }

    /** A copy of the history UUIDs, newest first. */
    @Override
    public long[] historyUuids() {
        return historyUuids.clone();
    }

    /** The bitmap UUID towards {@code nodeId}, or -1 ("unknown") when the mask lacks it. */
    public long bitmapUuidOf(int nodeId) {
        if ((bitmapUuidsMask & (1L << nodeId)) == 0) {
            return -1L;
        }
        return bitmapUuids[Long.bitCount(bitmapUuidsMask & ((1L << nodeId) - 1))];
    }

    /** Payload length on the wire. */
    public int payloadBytes() {
        return FIXED_BYTES + 8 * (bitmapUuids.length + historyUuids.length);
    }

    @Override
    public PacketType type() {
        return PacketType.P_UUIDS110;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Uuids110Packet that && volume == that.volume && currentUuid == that.currentUuid
                && dirtyBits == that.dirtyBits && uuidFlags == that.uuidFlags && nodeMask == that.nodeMask
                && bitmapUuidsMask == that.bitmapUuidsMask && Arrays.equals(bitmapUuids, that.bitmapUuids)
                && Arrays.equals(historyUuids, that.historyUuids);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(currentUuid) * 31 + Arrays.hashCode(historyUuids);
    }

    @Override
    public String toString() {
        return "Uuids110Packet[volume=" + volume + ", currentUuid=" + Long.toHexString(currentUuid)
                + ", dirtyBits=" + dirtyBits + ", uuidFlags=0x" + Long.toHexString(uuidFlags)
                + ", nodeMask=0x" + Long.toHexString(nodeMask) + ", bitmapUuidsMask=0x"
                + Long.toHexString(bitmapUuidsMask) + ", bitmapUuids=" + Arrays.toString(bitmapUuids)
                + ", historyUuids=" + historyUuids.length + "]";
    }
}
