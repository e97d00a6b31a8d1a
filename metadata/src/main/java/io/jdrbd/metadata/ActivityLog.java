package io.jdrbd.metadata;

import java.util.Arrays;

/**
 * The activity log of one device as a pure state machine (drbd-semantics.md §8.1,
 * drbd-metadata.md §3.4): {@code alExtents} slots, each holding one hot 4 MiB extent, kept in LRU
 * order; a write may proceed only once every extent it touches is committed to the on-disk ring.
 * No I/O: {@link #activate} says whether a write must wait, {@link #prepareTransaction} produces
 * the 4 KiB block the caller writes, and {@link #onTransactionWritten} commits it.
 *
 * <p>Usage by a driver: {@code activate(first, last)} for every write. {@link Activation#ACTIVE}:
 * proceed, no I/O. {@link Activation#PENDING}: references are taken; when
 * {@link #hasQueuedChanges()} and no transaction is in flight, {@code prepareTransaction()}, write
 * the dirty bitmap pages of its evicted extents, then the block (FUA), then
 * {@code onTransactionWritten}; the write may proceed once {@link #isActive} holds for its extents.
 * {@link Activation#BLOCKED}: nothing was taken; retry after a {@link #release} or a commit. Every
 * activated write calls {@code release(first, last)} when it is done.
 */
public final class ActivityLog {
    /** Outcome of {@link #activate}. */
    public enum Activation {
        /** Every extent is committed: no transaction needed. */
        ACTIVE,
        /** References taken; at least one extent waits for a transaction to commit. */
        PENDING,
        /** No slot free (all referenced or too many queued changes); nothing taken. */
        BLOCKED
    }

    private enum SlotState { COMMITTED, QUEUED, WRITING }

    /** A prepared transaction: the block to write and what it changes. */
    public record Transaction(int trNumber, byte[] block, long[] evictedExtents, long[] activatedExtents) {
    }

    private static final long FREE = -1;
    private static final int NONE = -1;

    private final int slotCount;
    private final long[] committedExtent;
    private final long[] targetExtent;
    private final SlotState[] state;
    private final int[] refs;
    private final int[] newer;
    private final int[] older;
    private int lruHead = NONE;
    private int lruTail = NONE;
    private final ExtentIndex index;
    private final int[] queued = new int[AlTransactionCodec.UPDATES];
    private final long[] queuedEvicted = new long[AlTransactionCodec.UPDATES];
    /** Reused for every transaction's context window, so a transaction allocates only its block. */
    private final long[] contextScratch = new long[AlTransactionCodec.CONTEXT];
    private int queuedCount;
    private Transaction inFlight;
    private int[] inFlightSlots = new int[0];
    private int trNumber;
    private int cycle;

    /** @param alExtents number of slots (drbd.conf {@code al-extents}), 1 .. 65534 */
    public ActivityLog(int alExtents) {
        this(alExtents, 0);
    }

    /** @param firstTrNumber the transaction number to start with (tests use it to cross the 2^32 wrap) */
    public ActivityLog(int alExtents, int firstTrNumber) {
        if (alExtents < 1 || alExtents > AlTransactionCodec.MAX_SLOTS) {
            throw new IllegalArgumentException("al-extents must be 1.." + AlTransactionCodec.MAX_SLOTS
                    + ": " + alExtents);
        }
        slotCount = alExtents;
        committedExtent = new long[alExtents];
        targetExtent = new long[alExtents];
        state = new SlotState[alExtents];
        refs = new int[alExtents];
        newer = new int[alExtents];
        older = new int[alExtents];
        Arrays.fill(committedExtent, FREE);
        Arrays.fill(targetExtent, FREE);
        Arrays.fill(state, SlotState.COMMITTED);
        index = new ExtentIndex(alExtents);
        trNumber = firstTrNumber;
        for (int slot = alExtents - 1; slot >= 0; slot--) {
            pushFront(slot);
        }
    }

    public int slotCount() {
        return slotCount;
    }

    /** The number the next transaction will carry. */
    public int nextTrNumber() {
        return trNumber;
    }

    /** Extent of a 512-byte sector. */
    public static long extentOfSector(long sector) {
        return sector >>> 13;
    }

    /**
     * Takes a reference on extents {@code [firstExtent, lastExtent]} for one write; all or nothing.
     */
    public Activation activate(long firstExtent, long lastExtent) {
        if (firstExtent < 0 || lastExtent < firstExtent || lastExtent >= AlTransactionCodec.LC_FREE) {
            throw new IllegalArgumentException("extent range [" + firstExtent + ", " + lastExtent + "]");
        }
        int cold = 0;
        for (long extent = firstExtent; extent <= lastExtent; extent++) {
            if (index.get(extent) < 0) {
                cold++;
            }
        }
        if (cold > AlTransactionCodec.UPDATES - queuedCount || cold > evictableSlots(firstExtent, lastExtent, cold)) {
            return Activation.BLOCKED;
        }
        boolean pending = false;
        for (long extent = firstExtent; extent <= lastExtent; extent++) {
            int slot = index.get(extent);
            if (slot < 0) {
                slot = claimSlot(extent);
            }
            pending |= state[slot] != SlotState.COMMITTED;
            refs[slot]++;
            moveToFront(slot);
        }
        return pending ? Activation.PENDING : Activation.ACTIVE;
    }

    /** Counts (up to {@code needed}) slots a cold extent could take, not holding the range's own extents. */
    private int evictableSlots(long firstExtent, long lastExtent, int needed) {
        int found = 0;
        for (int slot = lruTail; slot != NONE && found < needed; slot = newer[slot]) {
            long held = targetExtent[slot];
            boolean ours = held != FREE && held >= firstExtent && held <= lastExtent;
            if (refs[slot] == 0 && state[slot] == SlotState.COMMITTED && !ours) {
                found++;
            }
        }
        return found;
    }

    private int claimSlot(long extent) {
        int slot = lruTail;
        while (refs[slot] != 0 || state[slot] != SlotState.COMMITTED) {
            slot = newer[slot];
        }
        long evicted = targetExtent[slot];
        if (evicted != FREE) {
            index.remove(evicted);
        }
        targetExtent[slot] = extent;
        index.put(extent, slot);
        state[slot] = SlotState.QUEUED;
        queued[queuedCount] = slot;
        queuedEvicted[queuedCount] = evicted;
        queuedCount++;
        return slot;
    }

    /** Drops one write's references on {@code [firstExtent, lastExtent]}. */
    public void release(long firstExtent, long lastExtent) {
        for (long extent = firstExtent; extent <= lastExtent; extent++) {
            int slot = index.get(extent);
            if (slot < 0 || refs[slot] == 0) {
                throw new IllegalStateException("release of extent " + extent + " that holds no reference");
            }
            refs[slot]--;
        }
    }

    /** Whether {@code extent} is committed to the on-disk ring (a write in it may proceed). */
    public boolean isActive(long extent) {
        int slot = index.get(extent);
        return slot >= 0 && state[slot] == SlotState.COMMITTED;
    }

    /** Whether {@code extent} occupies a slot, committed or about to be (what recovery must cover). */
    public boolean isHot(long extent) {
        return index.get(extent) >= 0;
    }

    /** References held on {@code extent}'s slot (0 when not hot). */
    public int references(long extent) {
        int slot = index.get(extent);
        return slot < 0 ? 0 : refs[slot];
    }

    public boolean hasQueuedChanges() {
        return queuedCount > 0;
    }

    public boolean transactionInFlight() {
        return inFlight != null;
    }

    /** Committed extents, ascending. */
    public long[] activeExtents() {
        return Arrays.stream(committedExtent).filter(e -> e != FREE).sorted().toArray();
    }

    /**
     * Builds the next transaction from the queued slot changes (at most 64) and the rotating
     * context window; the caller writes its evicted extents' bitmap pages, then the block.
     */
    public Transaction prepareTransaction() {
        if (inFlight != null) {
            throw new IllegalStateException("transaction " + inFlight.trNumber() + " is still in flight");
        }
        if (queuedCount == 0) {
            throw new IllegalStateException("no queued activity-log changes");
        }
        int n = queuedCount;
        int[] slots = Arrays.copyOf(queued, n);
        long[] extents = new long[n];
        long[] evicted = new long[n];
        int evictedCount = 0;
        for (int i = 0; i < n; i++) {
            extents[i] = targetExtent[slots[i]];
            if (queuedEvicted[i] != FREE) {
                evicted[evictedCount++] = queuedEvicted[i];
            }
            state[slots[i]] = SlotState.WRITING;
        }
        int contextLength = Math.min(AlTransactionCodec.CONTEXT, slotCount - cycle);
        for (int i = 0; i < contextLength; i++) {
            long extent = committedExtent[cycle + i];
            contextScratch[i] = extent == FREE ? AlTransactionCodec.LC_FREE : extent;
        }
        byte[] block = AlTransactionCodec.encodeUpdate(trNumber, n, slots, extents, slotCount, cycle,
                contextScratch, contextLength);
        queuedCount = 0;
        inFlightSlots = slots;
        inFlight = new Transaction(trNumber, block, Arrays.copyOf(evicted, evictedCount), extents.clone());
        return inFlight;
    }

    /** The block of {@code transaction} is durable: its extents become active. */
    public void onTransactionWritten(Transaction transaction) {
        if (transaction != inFlight) {
            throw new IllegalStateException("transaction " + transaction.trNumber() + " is not the one in flight");
        }
        for (int slot : inFlightSlots) {
            committedExtent[slot] = targetExtent[slot];
            state[slot] = SlotState.COMMITTED;
        }
        inFlight = null;
        inFlightSlots = new int[0];
        trNumber++;
        cycle += AlTransactionCodec.CONTEXT;
        if (cycle >= slotCount) {
            cycle = 0;
        }
    }

    /** The write of {@code transaction} failed: its changes are queued again for the next attempt. */
    public void onTransactionFailed(Transaction transaction) {
        if (transaction != inFlight) {
            throw new IllegalStateException("transaction " + transaction.trNumber() + " is not the one in flight");
        }
        for (int slot : inFlightSlots) {
            state[slot] = SlotState.QUEUED;
            queued[queuedCount] = slot;
            queuedEvicted[queuedCount] = committedExtent[slot];
            queuedCount++;
        }
        inFlight = null;
        inFlightSlots = new int[0];
    }

    /** Every slot's committed extent (or LC_FREE), for a full ring rewrite after a geometry change. */
    public long[] slotExtents() {
        long[] out = new long[slotCount];
        for (int slot = 0; slot < slotCount; slot++) {
            out[slot] = committedExtent[slot] == FREE ? AlTransactionCodec.LC_FREE : committedExtent[slot];
        }
        return out;
    }

    /** Cheap structural invariants; throws on a programmer error. */
    public void checkInvariants() {
        int seen = 0;
        for (int slot = lruHead; slot != NONE; slot = older[slot]) {
            seen++;
            if (targetExtent[slot] != FREE && index.get(targetExtent[slot]) != slot) {
                throw new IllegalStateException("slot " + slot + " not indexed under its extent");
            }
            if (state[slot] == SlotState.COMMITTED && committedExtent[slot] != targetExtent[slot]) {
                throw new IllegalStateException("committed slot " + slot + " with a different target");
            }
        }
        if (seen != slotCount) {
            throw new IllegalStateException("LRU list holds " + seen + " of " + slotCount + " slots");
        }
    }

    private void pushFront(int slot) {
        older[slot] = lruHead;
        newer[slot] = NONE;
        if (lruHead != NONE) {
            newer[lruHead] = slot;
        }
        lruHead = slot;
        if (lruTail == NONE) {
            lruTail = slot;
        }
    }

    private void moveToFront(int slot) {
        if (slot == lruHead) {
            return;
        }
        int towardHead = newer[slot];
        int towardTail = older[slot];
        older[towardHead] = towardTail;
        if (towardTail != NONE) {
            newer[towardTail] = towardHead;
        } else {
            lruTail = towardHead;
        }
        pushFront(slot);
    }
}
