package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.UuidFlags;
import io.jdrbd.replication.wire.Uuids110Packet;

/**
 * The connect-time comparison of generation UUIDs (drbd-semantics.md §3.3), reduced to what this version
 * acts on: whether the two nodes hold the same data (connect, no resync), need a resync (which this
 * version cannot do yet, so it refuses with the rule's name), or are in split brain / unrelated.
 * Both nodes evaluate it on the same facts and reach mirrored results.
 */
final class UuidComparison {

    /** The outcome. */
    enum Kind {
        NO_SYNC, SYNC_NEEDED, SPLIT_BRAIN, UNRELATED
    }

    record Result(Kind kind, String rule) {
        /** Null when the nodes may connect, else DRBD's log text for the refusal. */
        String refusal() {
            switch (kind) {
                case NO_SYNC:
                    return null;
                case SYNC_NEEDED:
                    return "resync needed (rule " + rule + "), which this jdrbd version cannot do yet;"
                            + " dropping connection";
                case SPLIT_BRAIN:
                    return "Split-Brain detected but unresolved, dropping connection!";
                default:
                    return "Unrelated data, aborting!";
            }
        }
    }

    private UuidComparison() {
    }

    private static final long PRIMARY_BIT = GenerationUuids.UUID_PRIMARY;

    static Result compare(GenerationUuids self, DiskState selfDisk, int peerNodeId, int selfNodeId,
                          Uuids110Packet peer, DiskState peerDisk) {
        Result byUuids = compareUuids(self, peerNodeId, selfNodeId, peer);
        if (byUuids.kind() != Kind.NO_SYNC) {
            return byUuids;
        }
        // Disk-state override: the same generation, but one side Inconsistent and the other better.
        boolean selfInconsistent = selfDisk == DiskState.INCONSISTENT;
        boolean peerInconsistent = peerDisk == DiskState.INCONSISTENT;
        if (selfInconsistent != peerInconsistent) {
            return new Result(Kind.SYNC_NEEDED, "no-sync with one side Inconsistent (due to disk states)");
        }
        return byUuids;
    }

    private static Result compareUuids(GenerationUuids self, int peerNodeId, int selfNodeId, Uuids110Packet peer) {
        long selfCurrent = self.current() & ~PRIMARY_BIT;
        long peerCurrent = peer.currentUuid() & ~PRIMARY_BIT;
        boolean selfJustCreated = self.justCreated();
        boolean peerJustCreated = peerCurrent == MetadataRecord.UUID_JUST_CREATED || peerCurrent == 0;
        if (selfJustCreated && peerJustCreated) {
            return new Result(Kind.NO_SYNC, "just-created-both");
        }
        if (selfJustCreated) {
            return new Result(Kind.SYNC_NEEDED, "just-created-self");
        }
        if (peerJustCreated) {
            return new Result(Kind.SYNC_NEEDED, "just-created-peer");
        }
        if (selfCurrent == peerCurrent) {
            boolean selfCrashed = self.crashedPrimary();
            boolean peerCrashed = (peer.uuidFlags() & UuidFlags.UUID_FLAG_CRASHED_PRIMARY) != 0;
            if (selfCrashed || peerCrashed) {
                return new Result(Kind.SYNC_NEEDED, "both-off (crashed primary)");
            }
            return new Result(Kind.NO_SYNC, "both-off");
        }
        long peerBitmapForSelf = peer.bitmapUuidOf(selfNodeId) & ~PRIMARY_BIT;
        long selfBitmapForPeer = self.bitmap(peerNodeId) & ~PRIMARY_BIT;
        if (peerBitmapForSelf == selfCurrent) {
            return new Result(Kind.SYNC_NEEDED, "bitmap-peer");
        }
        if (selfBitmapForPeer == peerCurrent) {
            return new Result(Kind.SYNC_NEEDED, "bitmap-self");
        }
        boolean selfInPeerHistory = inHistory(peer.historyUuids(), selfCurrent);
        boolean peerInSelfHistory = self.inHistory(peerCurrent);
        if (selfInPeerHistory && !peerInSelfHistory) {
            return new Result(Kind.SYNC_NEEDED, "history-peer");
        }
        if (peerInSelfHistory && !selfInPeerHistory) {
            return new Result(Kind.SYNC_NEEDED, "history-self");
        }
        if (selfBitmapForPeer != 0 && selfBitmapForPeer == peerBitmapForSelf) {
            return new Result(Kind.SPLIT_BRAIN, "bitmap-both");
        }
        for (long held : self.history()) {
            if (held != 0 && inHistory(peer.historyUuids(), held)) {
                return new Result(Kind.SPLIT_BRAIN, "history-both");
            }
        }
        return new Result(Kind.UNRELATED, "unrelated");
    }

    private static boolean inHistory(long[] history, long uuid) {
        for (long held : history) {
            if (held != 0 && (held & ~PRIMARY_BIT) == uuid) {
                return true;
            }
        }
        return false;
    }
}
