package io.jdrbd.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The v09 superblock ({@code struct meta_data_on_disk_9}), every field, as values (drbd-metadata.md §2).
 * Pure data: no I/O. {@link SuperblockCodec} turns it into the 4096 on-disk bytes and back.
 *
 * @param effectiveSizeSect last agreed device size in sectors ({@code la-size-sect})
 * @param uuids             current, per-peer bitmap UUIDs and dagtags, history
 * @param members           node-id mask of the quorum membership (kernel >= 9.2.7; drbdmeta 9.22 writes 0)
 * @param deviceUuid        random id of the backing device
 * @param flags             MDF_* device flags
 * @param mdSizeSect        size of the meta-data area (u32)
 * @param alOffsetSect      activity log, relative to the superblock
 * @param alNrExtents       the kernel's al-extents (drbdmeta writes 257)
 * @param bmOffsetSect      bitmap, relative to the superblock
 * @param bmBytesPerBit     4096
 * @param laPeerMaxBioSize  last agreed max bio size in bytes
 * @param maxPeers          bitmap slots
 * @param nodeId            own node id, -1 until the first attach
 * @param alStripes         activity-log stripes
 * @param alStripeSize4k    activity-log blocks per stripe
 * @param peers             32 entries, by peer node id
 */
public record Superblock(long effectiveSizeSect, GenerationUuids uuids, long members, long deviceUuid, int flags,
                         int mdSizeSect, int alOffsetSect, int alNrExtents, int bmOffsetSect, int bmBytesPerBit,
                         int laPeerMaxBioSize, int maxPeers, int nodeId, int alStripes, int alStripeSize4k,
                         List<PeerSlot> peers) {

    public static final int NODES = GenerationUuids.NODES;
    /** What drbdmeta writes into al_nr_extents on create-md and restore-md. */
    public static final int DRBDMETA_AL_NR_EXTENTS = 257;

    public Superblock {
        if (peers.size() != NODES) {
            throw new IllegalArgumentException("peers needs 32 entries, got " + peers.size());
        }
        peers = Collections.unmodifiableList(new ArrayList<>(peers));
    }

    /** What create-md writes for {@code layout}: Inconsistent, AL clean, current = JUST_CREATED. */
    public static Superblock fresh(MetadataLayout layout, int laPeerMaxBioSize) {
        return new Superblock(0, GenerationUuids.justCreated(), 0, 0, MetadataFlags.MDF_AL_CLEAN,
                (int) layout.mdSizeSect(), layout.alOffsetSect(), DRBDMETA_AL_NR_EXTENTS, layout.bmOffsetSect(),
                MetadataLayout.BYTES_PER_BIT, laPeerMaxBioSize, layout.maxPeers(), -1, layout.alStripes(),
                layout.alStripeSize4k(), Collections.nCopies(NODES, PeerSlot.NONE));
    }

    public PeerSlot peer(int nodeId) {
        return peers.get(nodeId);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The AL geometry, with 0/0 meaning the old default 1 x 8. */
    public int effectiveAlStripes() {
        return alStripes == 0 && alStripeSize4k == 0 ? MetadataLayout.DEFAULT_AL_STRIPES : alStripes;
    }

    public int effectiveAlStripeSize4k() {
        return alStripes == 0 && alStripeSize4k == 0 ? MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K : alStripeSize4k;
    }

    /** The node id whose entry uses bitmap slot {@code slot}, or -1. */
    public int nodeOfBitmapSlot(int slot) {
        for (int node = 0; node < NODES; node++) {
            if (peers.get(node).bitmapIndex() == slot) {
                return node;
            }
        }
        return -1;
    }

    public Superblock withUuids(GenerationUuids value) {
        return new Superblock(effectiveSizeSect, value, members, deviceUuid, flags, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, nodeId, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withFlags(int value) {
        return new Superblock(effectiveSizeSect, uuids, members, deviceUuid, value, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, nodeId, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withEffectiveSizeSect(long value) {
        return new Superblock(value, uuids, members, deviceUuid, flags, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, nodeId, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withDeviceUuid(long value) {
        return new Superblock(effectiveSizeSect, uuids, members, value, flags, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, nodeId, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withNodeId(int value) {
        return new Superblock(effectiveSizeSect, uuids, members, deviceUuid, flags, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, value, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withAlNrExtents(int value) {
        return new Superblock(effectiveSizeSect, uuids, members, deviceUuid, flags, mdSizeSect, alOffsetSect,
                value, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, nodeId, alStripes,
                alStripeSize4k, peers);
    }

    public Superblock withPeer(int nodeId, PeerSlot value) {
        List<PeerSlot> copy = new ArrayList<>(peers);
        copy.set(nodeId, value);
        return new Superblock(effectiveSizeSect, uuids, members, deviceUuid, flags, mdSizeSect, alOffsetSect,
                alNrExtents, bmOffsetSect, bmBytesPerBit, laPeerMaxBioSize, maxPeers, this.nodeId, alStripes,
                alStripeSize4k, copy);
    }

    /** The same superblock placed at {@code layout} (offsets and sizes recomputed, as restore-md does). */
    public Superblock withLayout(MetadataLayout layout) {
        return new Superblock(effectiveSizeSect, uuids, members, deviceUuid, flags, (int) layout.mdSizeSect(),
                layout.alOffsetSect(), alNrExtents, layout.bmOffsetSect(), bmBytesPerBit, laPeerMaxBioSize,
                layout.maxPeers(), nodeId, layout.alStripes(), layout.alStripeSize4k(), peers);
    }
}
