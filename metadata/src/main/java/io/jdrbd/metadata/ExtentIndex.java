package io.jdrbd.metadata;

import java.util.Arrays;

/**
 * Extent number to AL slot, an open-addressing hash table of primitives (no boxing, no iteration,
 * so no order that could differ between runs). Capacity is fixed at construction.
 */
final class ExtentIndex {
    private static final long EMPTY = -1;

    private final long[] keys;
    private final int[] values;
    private final int mask;

    ExtentIndex(int maxEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The slot of {@code extent}, or -1. */
    int get(long extent) {
        for (int i = home(extent); ; i = (i + 1) & mask) {
            long key = keys[i];
            if (key == extent) {
                return values[i];
            }
            if (key == EMPTY) {
                return -1;
            }
        }
    }

    void put(long extent, int slot) {
        for (int i = home(extent); ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY || keys[i] == extent) {
                keys[i] = extent;
                values[i] = slot;
                return;
            }
        }
    }

    void remove(long extent) {
        int i = home(extent);
        while (keys[i] != extent) {
            if (keys[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion keeps every probe chain unbroken without tombstones
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int wanted = home(keys[j]);
            boolean movable = hole <= j ? (wanted <= hole || wanted > j) : (wanted <= hole && wanted > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
    }
}
