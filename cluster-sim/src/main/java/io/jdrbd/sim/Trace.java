package io.jdrbd.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's fingerprint: every observable event (scheduler step, bytes delivered, disk completion,
 * engine input and output) is folded into a running 64-bit FNV-1a style hash (over 64-bit words) of
 * its canonical fields. Same seed and options give the same hash, byte for byte; the hash differing between two
 * runs of one seed is a determinism bug.
 *
 * <p>For debugging, a bounded tail of canonical text lines can be kept ({@link #keepTail}); text is
 * only built when a tail is kept, so the hash costs no allocation.
 */
public final class Trace {
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private long hash = FNV_OFFSET;
    private long eventCount;
    private int tailMax;
    private ArrayDeque<String> tail;

    /** Keeps the last {@code lines} events as text (0 turns it off). */
    public void keepTail(int lines) {
        this.tailMax = lines;
        this.tail = lines > 0 ? new ArrayDeque<>(lines) : null;
    }

    public boolean textEnabled() {
        return tail != null;
    }

    /** Folds one event of the given kind with up to four numeric fields into the hash. */
    public void event(TraceKind kind, long timeNs, int node, long a, long b) {
        eventCount++;
        mix(kind.ordinal());
        mix(timeNs);
        mix(node);
        mix(a);
        mix(b);
        if (tail != null) {
            text(timeNs + " n" + node + " " + kind + " " + a + " " + b);
        }
    }

    /** Folds a free-form canonical string (rare events: admin commands, state changes). */
    public void event(TraceKind kind, long timeNs, int node, String detail) {
        eventCount++;
        mix(kind.ordinal());
        mix(timeNs);
        mix(node);
        for (int i = 0; i < detail.length(); i++) {
            mixByte(detail.charAt(i));
        }
        if (tail != null) {
            text(timeNs + " n" + node + " " + kind + " " + detail);
        }
    }

    /** Keeps a line in the text tail only (not hashed), e.g. log messages kept for debugging. */
    public void note(long timeNs, int node, String text) {
        if (tail != null) {
            text(timeNs + " n" + node + " " + text);
        }
    }

    private void text(String line) {
        if (tail.size() == tailMax) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    /** FNV-1a over 64-bit words (one multiply per field), with a fold so high bits reach low ones. */
    private void mix(long value) {
        hash = (hash ^ value) * FNV_PRIME;
        hash ^= hash >>> 32;
    }

    private void mixByte(int value) {
        hash ^= value & 0xFF;
        hash *= FNV_PRIME;
    }

    public long hash() {
        return hash;
    }

    public String hashHex() {
        return String.format("%016x", hash);
    }

    public long eventCount() {
        return eventCount;
    }

    /** The kept tail of events as text, oldest first (empty unless {@link #keepTail} was called). */
    public List<String> tail() {
        return tail == null ? List.of() : new ArrayList<>(tail);
    }
}
