package io.jdrbd.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The out-of-sync bitmaps of one device, one slot per peer bitmap index, one bit per 4 KiB block
 * (bit set = the block may differ from that peer). Pure in-memory structure: no I/O, no clocks.
 *
 * <p>In memory each slot is a {@code long[]} (bit {@code b} is bit {@code b % 64} of word
 * {@code b / 64}) so that counting and searching run word by word; a set-bit counter per slot is
 * kept up to date on every change. On disk the slots are interleaved by 32-bit little-endian words
 * (drbd-metadata.md §4.3): slot {@code s}'s 32-bit word {@code k} is on-disk word {@code k * P + s}.
 * Every change marks the 4 KiB on-disk page(s) it touches dirty; {@link #encodePage} produces a
 * page's bytes for write-back and {@link #markClean} records that it was written.
 */
public final class Bitmap {
    public static final int BITS_PER_EXTENT = 1024;
    private static final int WORDS32_PER_PAGE = MetadataLayout.BLOCK_BYTES / 4;

    private final int maxPeers;
    private final long bitCount;
    private final int wordsPerSlot;
    private final long[][] slots;
    private final long[] setBits;
    private final int pageCount;
    private final long[] dirtyPages;
    private int dirtyPageCount;

    /**
     * @param maxPeers number of slots
     * @param bitCount bits that cover the device (ceil(sectors / 8)); rounded up to 64 per slot
     */
    public Bitmap(int maxPeers, long bitCount) {
        if (maxPeers < 1 || maxPeers > 32) {
            throw new IllegalArgumentException("maxPeers out of range: " + maxPeers);
        }
        long words = (bitCount + 63) / 64;
        if (bitCount < 0 || words > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bitCount out of range: " + bitCount);
        }
        this.maxPeers = maxPeers;
        this.bitCount = bitCount;
        this.wordsPerSlot = (int) words;
        this.slots = new long[maxPeers][wordsPerSlot];
        this.setBits = new long[maxPeers];
        long bytes = MetadataLayout.roundUp((long) wordsPerSlot * 8 * maxPeers, MetadataLayout.BLOCK_BYTES);
        this.pageCount = (int) (bytes / MetadataLayout.BLOCK_BYTES);
        this.dirtyPages = new long[(pageCount + 63) / 64];
    }

    /** A bitmap covering {@code capacitySectors} of data. */
    public static Bitmap forCapacity(long capacitySectors, int maxPeers) {
        return new Bitmap(maxPeers, (capacitySectors + MetadataLayout.SECTORS_PER_BIT - 1)
                / MetadataLayout.SECTORS_PER_BIT);
    }

    public int maxPeers() {
        return maxPeers;
    }

    /** Bits that cover the device. */
    public long bitCount() {
        return bitCount;
    }

    /** 4 KiB pages of the on-disk bitmap ({@code bm-bytes / 4096}). */
    public int pageCount() {
        return pageCount;
    }

    /** Bytes of the on-disk bitmap. */
    public long byteCount() {
        return (long) pageCount * MetadataLayout.BLOCK_BYTES;
    }

    public boolean get(int slot, long bit) {
        checkBit(bit);
        return (slots[slot][(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    /** Sets one bit; returns true when it was clear. */
    public boolean set(int slot, long bit) {
        checkBit(bit);
        long[] words = slots[slot];
        int index = (int) (bit >>> 6);
        long mask = 1L << bit;
        if ((words[index] & mask) != 0) {
            return false;
        }
        words[index] |= mask;
        setBits[slot]++;
        markDirty(pageOf(slot, bit));
        return true;
    }

    /** Clears one bit; returns true when it was set. */
    public boolean clear(int slot, long bit) {
        checkBit(bit);
        long[] words = slots[slot];
        int index = (int) (bit >>> 6);
        long mask = 1L << bit;
        if ((words[index] & mask) == 0) {
            return false;
        }
        words[index] &= ~mask;
        setBits[slot]--;
        markDirty(pageOf(slot, bit));
        return true;
    }

    /** Sets bits {@code [fromBit, toBit)}; returns how many were clear. */
    public long setRange(int slot, long fromBit, long toBit) {
        return changeRange(slot, fromBit, toBit, true);
    }

    /** Clears bits {@code [fromBit, toBit)}; returns how many were set. */
    public long clearRange(int slot, long fromBit, long toBit) {
        return changeRange(slot, fromBit, toBit, false);
    }

    private long changeRange(int slot, long fromBit, long toBit, boolean value) {
        if (fromBit < 0 || toBit > bitCount || fromBit > toBit) {
            throw new IndexOutOfBoundsException("bit range [" + fromBit + ", " + toBit + ") of " + bitCount);
        }
        if (fromBit == toBit) {
            return 0;
        }
        long[] words = slots[slot];
        long changed = 0;
        int firstWord = (int) (fromBit >>> 6);
        int lastWord = (int) ((toBit - 1) >>> 6);
        for (int w = firstWord; w <= lastWord; w++) {
            long mask = -1L;
            if (w == firstWord) {
                mask &= -1L << fromBit;
            }
            if (w == lastWord) {
                mask &= -1L >>> (63 - ((toBit - 1) & 63));
            }
            long before = words[w];
            long after = value ? before | mask : before & ~mask;
            changed += Long.bitCount(before ^ after);
            words[w] = after;
        }
        if (changed != 0) {
            setBits[slot] += value ? changed : -changed;
            int firstPage = pageOf(slot, fromBit);
            int lastPage = pageOf(slot, toBit - 1);
            for (int page = firstPage; page <= lastPage; page++) {
                markDirty(page);
            }
        }
        return changed;
    }

    /** Set bits of {@code slot}, kept up to date incrementally. */
    public long count(int slot) {
        return setBits[slot];
    }

    /** Set bits of {@code slot} counted from scratch (for checks; {@link #count} is O(1)). */
    public long recount(int slot) {
        long total = 0;
        for (long word : slots[slot]) {
            total += Long.bitCount(word);
        }
        return total;
    }

    /** Set bits of {@code slot} in {@code [fromBit, toBit)}. */
    public long countRange(int slot, long fromBit, long toBit) {
        long total = 0;
        for (long bit = nextSet(slot, fromBit); bit >= 0 && bit < toBit; bit = nextSet(slot, bit + 1)) {
            total++;
        }
        return total;
    }

    /** The first set bit at or after {@code fromBit}, or -1. */
    public long nextSet(int slot, long fromBit) {
        if (fromBit >= bitCount) {
            return -1;
        }
        long[] words = slots[slot];
        int w = (int) (fromBit >>> 6);
        long word = words[w] & (-1L << fromBit);
        while (true) {
            if (word != 0) {
                long bit = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return bit < bitCount ? bit : -1;
            }
            if (++w == wordsPerSlot) {
                return -1;
            }
            word = words[w];
        }
    }

    /** The first clear bit at or after {@code fromBit}, or -1. */
    public long nextClear(int slot, long fromBit) {
        if (fromBit >= bitCount) {
            return -1;
        }
        long[] words = slots[slot];
        int w = (int) (fromBit >>> 6);
        long word = ~words[w] & (-1L << fromBit);
        while (true) {
            if (word != 0) {
                long bit = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return bit < bitCount ? bit : -1;
            }
            if (++w == wordsPerSlot) {
                return -1;
            }
            word = ~words[w];
        }
    }

    /** Marks AL extent {@code extent} (1024 bits) out of sync in every slot; returns bits newly set. */
    public long setExtentInAllSlots(long extent) {
        long from = extent * BITS_PER_EXTENT;
        if (from >= bitCount) {
            return 0;
        }
        long to = Math.min(bitCount, from + BITS_PER_EXTENT);
        long changed = 0;
        for (int slot = 0; slot < maxPeers; slot++) {
            changed += setRange(slot, from, to);
        }
        return changed;
    }

    /** Sets every bit of {@code slot} (a full sync). */
    public void setAll(int slot) {
        setRange(slot, 0, bitCount);
    }

    // ---- write-back -----------------------------------------------------------------------------

    /** The on-disk page holding bit {@code bit} of {@code slot}. */
    public int pageOf(int slot, long bit) {
        long word32 = (bit >>> 5) * maxPeers + slot;
        return (int) (word32 / WORDS32_PER_PAGE);
    }

    /** The first on-disk page holding bits of AL extent {@code extent} (all slots). */
    public int firstPageOfExtent(long extent) {
        return pageOf(0, extent * BITS_PER_EXTENT);
    }

    /** The last on-disk page holding bits of AL extent {@code extent} (all slots). */
    public int lastPageOfExtent(long extent) {
        long lastBit = Math.min(bitCount, (extent + 1) * BITS_PER_EXTENT) - 1;
        return pageOf(maxPeers - 1, Math.max(0, lastBit));
    }

    public boolean isDirty(int page) {
        return (dirtyPages[page >>> 6] & (1L << page)) != 0;
    }

    public int dirtyPageCount() {
        return dirtyPageCount;
    }

    /** The first dirty page at or after {@code fromPage}, or -1. */
    public int nextDirtyPage(int fromPage) {
        if (fromPage >= pageCount) {
            return -1;
        }
        int w = fromPage >>> 6;
        long word = dirtyPages[w] & (-1L << fromPage);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == dirtyPages.length) {
                return -1;
            }
            word = dirtyPages[w];
        }
    }

    /** Records that {@code page} was written back (its bytes as of the last {@link #encodePage}). */
    public void markClean(int page) {
        if (isDirty(page)) {
            dirtyPages[page >>> 6] &= ~(1L << page);
            dirtyPageCount--;
        }
    }

    public void markAllDirty() {
        for (int page = 0; page < pageCount; page++) {
            markDirty(page);
        }
    }

    private void markDirty(int page) {
        long mask = 1L << page;
        if ((dirtyPages[page >>> 6] & mask) == 0) {
            dirtyPages[page >>> 6] |= mask;
            dirtyPageCount++;
        }
    }

    /** Writes the 4096 on-disk bytes of {@code page} at {@code target}'s position (advancing it). */
    public void encodePage(int page, ByteBuffer target) {
        checkPage(page);
        ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (maxPeers == 1) {
            encodeSingleSlotPage(page, out);
            target.position(target.position() + MetadataLayout.BLOCK_BYTES);
            return;
        }
        long firstWord32 = (long) page * WORDS32_PER_PAGE;
        // walk (slot, k) along the interleaving instead of dividing for every word
        int slot = (int) (firstWord32 % maxPeers);
        long k = firstWord32 / maxPeers;
        long words32PerSlot = 2L * wordsPerSlot;
        for (int i = 0; i < WORDS32_PER_PAGE; i++) {
            int value = 0;
            if (k < words32PerSlot) {
                value = (int) (slots[slot][(int) (k >>> 1)] >>> ((k & 1) << 5));
            }
            out.putInt(i << 2, value);
            if (++slot == maxPeers) {
                slot = 0;
                k++;
            }
        }
        target.position(target.position() + MetadataLayout.BLOCK_BYTES);
    }

    /** One slot: the page is 512 consecutive little-endian 64-bit words of that slot. */
    private void encodeSingleSlotPage(int page, ByteBuffer out) {
        long[] words = slots[0];
        int first = page * (WORDS32_PER_PAGE / 2);
        int end = Math.min(wordsPerSlot, first + WORDS32_PER_PAGE / 2);
        for (int w = first; w < end; w++) {
            out.putLong((w - first) << 3, words[w]);
        }
        for (int w = end; w < first + WORDS32_PER_PAGE / 2; w++) {
            out.putLong((w - first) << 3, 0);
        }
    }

    /** Loads page {@code page} from its 4096 on-disk bytes at {@code source}'s position (advancing it). */
    public void decodePage(int page, ByteBuffer source) {
        checkPage(page);
        ByteBuffer in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        long firstWord32 = (long) page * WORDS32_PER_PAGE;
        int slot = (int) (firstWord32 % maxPeers);
        long k = firstWord32 / maxPeers;
        long words32PerSlot = 2L * wordsPerSlot;
        for (int i = 0; i < WORDS32_PER_PAGE; i++) {
            if (k < words32PerSlot) {
                int shift = (int) ((k & 1) << 5);
                long[] words = slots[slot];
                int index = (int) (k >>> 1);
                long before = words[index];
                long value = Integer.toUnsignedLong(in.getInt(i << 2)) << shift;
                long after = (before & ~(0xFFFFFFFFL << shift)) | value;
                setBits[slot] += Long.bitCount(after) - Long.bitCount(before);
                words[index] = after;
            }
            if (++slot == maxPeers) {
                slot = 0;
                k++;
            }
        }
        source.position(source.position() + MetadataLayout.BLOCK_BYTES);
        markClean(page);
    }

    /** The 64-bit word {@code index} of {@code slot} (bit b is bit b%64 of word b/64), as dump-md prints it. */
    public long word(int slot, int index) {
        return slots[slot][index];
    }

    /** Words per slot (64-bit). */
    public int wordsPerSlot() {
        return wordsPerSlot;
    }

    /** Copies every bit of {@code sourceSlot} into {@code targetSlot}. */
    public void copySlot(int sourceSlot, int targetSlot) {
        for (int w = 0; w < wordsPerSlot; w++) {
            slots[targetSlot][w] = slots[sourceSlot][w];
        }
        setBits[targetSlot] = setBits[sourceSlot];
        markAllDirty();
    }

    private void checkBit(long bit) {
        if (bit < 0 || bit >= bitCount) {
            throw new IndexOutOfBoundsException("bit " + bit + " of " + bitCount);
        }
    }

    private void checkPage(int page) {
        if (page < 0 || page >= pageCount) {
            throw new IndexOutOfBoundsException("page " + page + " of " + pageCount);
        }
    }
}
