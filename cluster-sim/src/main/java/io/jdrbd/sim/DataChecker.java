package io.jdrbd.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a replica's data against the history, block by block, through the tags the workload
 * stamped. Each check returns its violations (empty: valid); a caller turns them into a
 * {@link SimFailure.Kind#CORRECTNESS} failure.
 *
 * <ul>
 *   <li>{@link #nothingInvented}: every block is zero or holds a write that was invoked and covers it,
 *       undamaged (no torn, corrupt or misdirected blocks).</li>
 *   <li>{@link #noAcknowledgedWriteLost}: protocol C after a single failure (and protocol B once the
 *       survivor wrote what it received): no block holds something older than an acknowledged write.</li>
 *   <li>{@link #prefixOfWrites}: protocols A/B: the replica is a prefix of the primary's writes: if it
 *       holds a write X, it holds every write acknowledged before X was invoked (or something newer).</li>
 *   <li>{@link #readsSawCurrentData}: every read returned a write that was not superseded by an
 *       acknowledged write before the read began, and nothing from the future.</li>
 * </ul>
 */
public final class DataChecker {
    private static final int VIOLATIONS_MAX = 20;

    /** The decoded tag of each 4 KiB block of a replica. */
    @FunctionalInterface
    public interface BlockSource {
        long tagAt(long block);
    }

    private DataChecker() {
    }

    /** Reads tags from the current view of a disk whose data area starts at byte 0. */
    public static BlockSource of(SimDisk disk) {
        return block -> {
            byte[] page = disk.currentPage((int) block);
            return page == null ? BlockTag.ZERO : BlockTag.decode(page, 0, block * BlockTag.BLOCK_BYTES);
        };
    }

    public static List<String> nothingInvented(History history, BlockSource replica, String where) {
        List<String> violations = new ArrayList<>();
        for (long block = 0; block < history.blockCount() && violations.size() < VIOLATIONS_MAX; block++) {
            long tag = replica.tagAt(block);
            if (tag == BlockTag.ZERO) {
                continue;
            }
            if (tag == BlockTag.DAMAGED) {
                violations.add(where + ": block " + block + " is torn, corrupt or misdirected");
                continue;
            }
            History.Write write = history.writeWithTag(tag);
            if (write == null) {
                violations.add(where + ": block " + block + " holds " + BlockTag.format(tag) + ", which nobody wrote");
            } else if (!write.covers(block)) {
                violations.add(where + ": block " + block + " holds " + write + ", which does not cover it");
            }
        }
        return violations;
    }

    public static List<String> noAcknowledgedWriteLost(History history, BlockSource replica, String where) {
        List<String> violations = new ArrayList<>();
        for (long block = 0; block < history.blockCount() && violations.size() < VIOLATIONS_MAX; block++) {
            List<History.Write> writes = history.writesTo(block);
            if (writes.isEmpty()) {
                continue;
            }
            long tag = replica.tagAt(block);
            History.Write held = tag == BlockTag.ZERO || tag == BlockTag.DAMAGED ? null : history.writeWithTag(tag);
            for (History.Write write : writes) {
                if (write.acknowledged() && isStale(held, tag, write)) {
                    violations.add(where + ": acknowledged " + write + " lost: block " + block + " holds "
                            + (held == null ? BlockTag.format(tag) : held.toString()));
                    break;
                }
            }
        }
        return violations;
    }

    public static List<String> prefixOfWrites(History history, BlockSource replica, String where) {
        long[] tags = new long[(int) history.blockCount()];
        History.Write newest = null;
        for (long block = 0; block < tags.length; block++) {
            tags[(int) block] = replica.tagAt(block);
            History.Write held = history.writeWithTag(tags[(int) block]);
            if (held != null && (newest == null || held.invokePosition > newest.invokePosition)) {
                newest = held;
            }
        }
        List<String> violations = new ArrayList<>();
        if (newest == null) {
            return violations;
        }
        for (History.Write write : history.writes()) {
            if (!write.acknowledged() || !write.precedes(newest)) {
                continue;
            }
            for (long block = write.firstBlock; block < write.firstBlock + write.blockCount; block++) {
                long tag = tags[(int) block];
                History.Write held = history.writeWithTag(tag);
                if (isStale(held, tag, write)) {
                    violations.add(where + ": not a prefix: it holds " + newest + " but block " + block + " lacks "
                            + write + ", acknowledged before it was invoked (block holds "
                            + (held == null ? BlockTag.format(tag) : held.toString()) + ")");
                    break;
                }
            }
            if (violations.size() >= VIOLATIONS_MAX) {
                break;
            }
        }
        return violations;
    }

    public static List<String> readsSawCurrentData(History history) {
        List<String> violations = new ArrayList<>();
        for (History.Read read : history.reads()) {
            if (read.status() != History.Status.OK || violations.size() >= VIOLATIONS_MAX) {
                continue;
            }
            History.Write held = history.writeWithTag(read.seenTag());
            if (read.seenTag() == BlockTag.DAMAGED || (read.seenTag() != BlockTag.ZERO && held == null)) {
                violations.add("read of block " + read.block() + " on node " + read.node() + " saw "
                        + BlockTag.format(read.seenTag()) + ", which nobody wrote");
                continue;
            }
            if (held != null && held.invokePosition > read.completePosition()) {
                violations.add("read of block " + read.block() + " saw " + held + " from the future");
                continue;
            }
            for (History.Write write : history.writesTo(read.block())) {
                boolean ackedBeforeRead = write.acknowledged() && write.completePosition < read.invokePosition();
                if (ackedBeforeRead && isStale(held, read.seenTag(), write)) {
                    violations.add("read of block " + read.block() + " on node " + read.node() + " saw "
                            + (held == null ? "zero" : held.toString()) + " after " + write + " was acknowledged");
                    break;
                }
            }
        }
        return violations;
    }

    /** The block content {@code held} is older than {@code write} (or not a write at all). */
    private static boolean isStale(History.Write held, long tag, History.Write write) {
        if (tag == BlockTag.DAMAGED) {
            return true;
        }
        if (held == null) {
            return true;
        }
        return held != write && held.precedes(write);
    }
}
