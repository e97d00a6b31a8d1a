package io.jdrbd.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reconstructs the active extents from the on-disk activity-log ring, the way {@code drbdmeta
 * apply-al} does (drbd-metadata.md §3.5): valid update blocks are replayed from the oldest to the
 * newest transaction number (serial-number order, so the 2^32 wrap works), context first, then
 * updates. Pure function of the block bytes.
 */
public final class AlReplay {

    /**
     * @param activeExtents  extents held by some slot after the newest transaction, ascending
     * @param updateBlocks   valid update transactions found
     * @param corruptBlocks  blocks with a bad magic or checksum, with the reason for each
     * @param initialized    valid INITIALIZED blocks
     * @param newestTrNumber transaction number of the newest update (meaningful if updateBlocks &gt; 0)
     */
    public record Result(long[] activeExtents, int updateBlocks, List<String> corruptBlocks, int initialized,
                         int newestTrNumber) {
        /** drbdmeta's "No usable activity log found": not a single valid block. */
        public boolean unusable() {
            return updateBlocks == 0 && initialized == 0;
        }
    }

    private AlReplay() {
    }

    /** @param ring the blocks in logical ring order (ring position 0 .. N-1, stripes already resolved) */
    public static Result replay(List<byte[]> ring) {
        int n = ring.size();
        AlTransactionCodec.AlBlock[] blocks = new AlTransactionCodec.AlBlock[n];
        List<String> corrupt = new ArrayList<>();
        int initialized = 0;
        int updates = 0;
        int oldest = -1;
        int newest = -1;
        for (int position = 0; position < n; position++) {
            AlTransactionCodec.AlBlock block;
            try {
                block = AlTransactionCodec.decode(ring.get(position), "al ring position " + position);
            } catch (MetadataFormatException e) {
                corrupt.add(e.getMessage());
                continue;
            }
            if (!block.isUpdate()) {
                initialized++;
                continue;
            }
            blocks[position] = block;
            updates++;
            if (oldest < 0 || (block.trNumber() - blocks[oldest].trNumber()) < 0) {
                oldest = position;
            }
            if (newest < 0 || (block.trNumber() - blocks[newest].trNumber()) > 0) {
                newest = position;
            }
        }
        if (updates == 0) {
            return new Result(new long[0], 0, List.copyOf(corrupt), initialized, 0);
        }
        long[] slots = new long[AlTransactionCodec.MAX_SLOTS];
        Arrays.fill(slots, AlTransactionCodec.LC_FREE);
        for (int step = 0, position = oldest; step < n; step++, position = (position + 1) % n) {
            if (blocks[position] != null) {
                apply(blocks[position], slots);
            }
            if (position == newest) {
                break;
            }
        }
        long[] active = Arrays.stream(slots).filter(e -> e != AlTransactionCodec.LC_FREE).sorted().distinct()
                .toArray();
        return new Result(active, updates, List.copyOf(corrupt), initialized, blocks[newest].trNumber());
    }

    private static void apply(AlTransactionCodec.AlBlock block, long[] slots) {
        for (int i = 0; i < AlTransactionCodec.CONTEXT; i++) {
            int slot = block.contextStartSlot() + i;
            long extent = block.context()[i];
            if (extent == AlTransactionCodec.LC_FREE && slot >= block.contextSize()) {
                continue;
            }
            if (slot < AlTransactionCodec.MAX_SLOTS) {
                slots[slot] = extent;
            }
        }
        for (int i = 0; i < AlTransactionCodec.UPDATES; i++) {
            int slot = block.updateSlots()[i];
            if (i >= block.nUpdates() && slot == AlTransactionCodec.NO_SLOT) {
                continue;
            }
            if (slot < AlTransactionCodec.MAX_SLOTS) {
                slots[slot] = block.updateExtents()[i];
            }
        }
    }
}
