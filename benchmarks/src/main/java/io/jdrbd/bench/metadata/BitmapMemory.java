package io.jdrbd.bench.metadata;

import io.jdrbd.metadata.Bitmap;

/**
 * Heap retained by the in-memory bitmap of a 1 TiB device with one peer (run with a fixed heap,
 * e.g. {@code -Xmx256m}): the 32 MiB of bits plus small bookkeeping.
 */
public final class BitmapMemory {
    private BitmapMemory() {
    }

    public static void main(String[] args) {
        long before = usedAfterGc();
        Bitmap bitmap = Bitmap.forCapacity((1L << 40) / 512, 1);
        bitmap.setRange(0, 0, bitmap.bitCount());
        long after = usedAfterGc();
        System.out.printf("1 TiB, 1 peer: %d bits, %d pages, retained %.2f MiB (bits alone %.2f MiB)%n",
                bitmap.bitCount(), bitmap.pageCount(), (after - before) / 1048576.0, bitmap.bitCount() / 8 / 1048576.0);
        System.out.println(bitmap.count(0) == bitmap.bitCount() ? "check ok" : "check FAILED");
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
