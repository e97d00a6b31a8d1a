package io.jdrbd.metadata;

/**
 * The non-UUID part of one peer entry of the superblock (indexed by peer node id); the bitmap UUID
 * and dagtag live in {@link GenerationUuids}.
 *
 * @param flags       MDF_PEER_* bits ({@link MetadataFlags})
 * @param bitmapIndex the bitmap slot (0 .. max-peers-1) of this peer, or -1 for none
 */
public record PeerSlot(int flags, int bitmapIndex) {
    public static final PeerSlot NONE = new PeerSlot(0, -1);

    public PeerSlot withFlags(int value) {
        return new PeerSlot(value, bitmapIndex);
    }

    public PeerSlot withBitmapIndex(int value) {
        return new PeerSlot(flags, value);
    }
}
