package io.jdrbd.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Every upper-layer operation of a run and its outcome, in the order the simulator saw them:
 * invoke, then ok / fail / info (unknown: in flight when its node crashed). Positions in this
 * history define happens-before: an operation that completed before another was invoked precedes it.
 * Writes are indexed per 4 KiB block, so checkers can ask which writes a block may hold.
 */
public final class History {

    /** The outcome of an operation, in Jepsen's words. */
    public enum Status { PENDING, OK, FAIL, INFO }

    /** One write: its tag is stamped on every block it covers. */
    public static final class Write {
        final long tag;
        final int node;
        final long firstBlock;
        final int blockCount;
        final long invokePosition;
        final long invokeTimeNs;
        long completePosition = Long.MAX_VALUE;
        long completeTimeNs = -1;
        Status status = Status.PENDING;

        Write(long tag, int node, long firstBlock, int blockCount, long invokePosition, long invokeTimeNs) {
            this.tag = tag;
            this.node = node;
            this.firstBlock = firstBlock;
            this.blockCount = blockCount;
            this.invokePosition = invokePosition;
            this.invokeTimeNs = invokeTimeNs;
        }

        public long tag() {
            return tag;
        }

        public int node() {
            return node;
        }

        public long firstBlock() {
            return firstBlock;
        }

        public int blockCount() {
            return blockCount;
        }

        public Status status() {
            return status;
        }

        public boolean acknowledged() {
            return status == Status.OK;
        }

        public boolean covers(long block) {
            return block >= firstBlock && block < firstBlock + blockCount;
        }

        /** This write completed before {@code other} was invoked. */
        public boolean precedes(Write other) {
            return completePosition < other.invokePosition;
        }

        @Override
        public String toString() {
            return "write " + BlockTag.format(tag) + " on node " + node + " blocks " + firstBlock + "+" + blockCount
                    + " " + status + " (invoked at " + invokeTimeNs + " ns"
                    + (completeTimeNs >= 0 ? ", completed at " + completeTimeNs + " ns)" : ")");
        }
    }

    /** One read of one 4 KiB block and the tag it saw. */
    public record Read(int node, long block, long invokePosition, long completePosition, long seenTag,
                       Status status) { }

    private final long blockCountMax;
    private final List<Write> writes = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private final List<List<Write>> writesByBlock;
    private final java.util.Map<Long, Write> writesByTag = new java.util.HashMap<>(); // lookups only
    private long position;

    public History(long blockCountMax) {
        this.blockCountMax = blockCountMax;
        this.writesByBlock = new ArrayList<>();
    }

    public long blockCount() {
        return blockCountMax;
    }

    /** Records the invocation of a write of {@code blockCount} blocks from {@code firstBlock}. */
    public Write invokeWrite(long tag, int node, long firstBlock, int blockCount, long nowNs) {
        if (firstBlock < 0 || blockCount <= 0 || firstBlock + blockCount > blockCountMax) {
            throw new IllegalArgumentException("write outside the device: blocks " + firstBlock + "+" + blockCount);
        }
        Write write = new Write(tag, node, firstBlock, blockCount, ++position, nowNs);
        writes.add(write);
        if (writesByTag.put(tag, write) != null) {
            throw new IllegalArgumentException("tag reused: " + BlockTag.format(tag));
        }
        for (long block = firstBlock; block < firstBlock + blockCount; block++) {
            writesTo(block, true).add(write);
        }
        return write;
    }

    public void complete(Write write, boolean ok, long nowNs) {
        if (write.status != Status.PENDING) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS, "write completed twice: " + write);
        }
        write.status = ok ? Status.OK : Status.FAIL;
        write.completePosition = ++position;
        write.completeTimeNs = nowNs;
    }

    /** The write's node crashed while it was in flight: its outcome is unknown. */
    public void unknown(Write write) {
        if (write.status == Status.PENDING) {
            write.status = Status.INFO;
        }
    }

    public long invokeRead() {
        return ++position;
    }

    public Read completeRead(int node, long block, long invokePosition, long seenTag, boolean ok) {
        Read read = new Read(node, block, invokePosition, ++position, seenTag, ok ? Status.OK : Status.FAIL);
        reads.add(read);
        return read;
    }

    public List<Write> writes() {
        return writes;
    }

    public List<Read> reads() {
        return reads;
    }

    public Write writeWithTag(long tag) {
        return writesByTag.get(tag);
    }

    /** Writes to {@code block} in invocation order. */
    public List<Write> writesTo(long block) {
        return writesTo(block, false);
    }

    private List<Write> writesTo(long block, boolean create) {
        while (create && writesByBlock.size() <= block) {
            writesByBlock.add(new ArrayList<>(2));
        }
        return block < writesByBlock.size() ? writesByBlock.get((int) block) : List.of();
    }

    public long acknowledgedCount() {
        return writes.stream().filter(Write::acknowledged).count();
    }

    public long pendingCount() {
        return writes.stream().filter(w -> w.status == Status.PENDING).count();
    }
}
