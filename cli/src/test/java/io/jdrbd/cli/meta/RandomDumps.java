package io.jdrbd.cli.meta;

import io.jdrbd.metadata.MetadataLayout;
import java.util.Random;

/** Random but valid v09 dump texts for restore-md, from a printed seed. */
final class RandomDumps {
    private RandomDumps() {
    }

    /**
     * A dump of {@code laSize} sectors, max-peers 1, whose bitmap body is {@code bitmapItems}
     * (drbdmeta's "N times 0x..;" and "0x..;" items).
     */
    static String withBitmap(long laSize, String bitmapItems) {
        StringBuilder out = new StringBuilder("version \"v09\";\nmax-peers 1;\nnode-id 0;\n");
        out.append("current-uuid 0x1234567890ABCDEF;\nflags 0x00000091;\n");
        for (int node = 0; node < 32; node++) {
            out.append("peer[").append(node).append("] { bitmap-index ").append(node == 1 ? 0 : -1)
                    .append("; bitmap-uuid 0x0000000000000000; bitmap-dagtag 0x0000000000000000;")
                    .append(" flags 0x00000000; }\n");
        }
        out.append("history-uuids {");
        for (int i = 0; i < 32; i++) {
            out.append(" 0x0000000000000000;");
        }
        out.append(" }\nla-size-sect ").append(laSize).append(";\nbm-byte-per-bit 4096;\n");
        out.append("device-uuid 0x0000000000000000;\nla-peer-max-bio-size 0;\n");
        out.append("al-stripes 1;\nal-stripe-size-4k 8;\n");
        return out.append("bitmap[0] {").append(bitmapItems).append("}\n").toString();
    }

    /** A dump for a device whose usable size is {@code usableSectors}. */
    static String dump(Random random, int maxPeers, long usableSectors) {
        StringBuilder out = new StringBuilder("version \"v09\";\n\nmax-peers ").append(maxPeers).append(";\n");
        int nodeId = random.nextInt(maxPeers + 1);
        out.append("node-id ").append(nodeId).append(";\n");
        out.append(String.format("current-uuid 0x%016X;\n", random.nextLong()));
        out.append(String.format("flags 0x%08X;\n", (random.nextInt(0x800) | 0x80) & ~0x0C));
        int nextSlot = 0;
        for (int node = 0; node < 32; node++) {
            int index = node != nodeId && nextSlot < maxPeers && random.nextBoolean() ? nextSlot++ : -1;
            out.append("peer[").append(node).append("] {\n    bitmap-index ").append(index).append(";\n");
            out.append(String.format("    bitmap-uuid 0x%016X;\n", random.nextInt(3) == 0 ? 0 : random.nextLong()));
            out.append(String.format("    bitmap-dagtag 0x%016X;\n", random.nextLong() >>> 20));
            out.append(String.format("    flags 0x%08X;\n}\n", random.nextInt(0x20) | (random.nextBoolean()
                    ? 0x10000 : 0)));
        }
        out.append("history-uuids {\n");
        for (int i = 0; i < 32; i++) {
            out.append(String.format(" 0x%016X;", i < 5 ? random.nextLong() : 0));
        }
        out.append("\n}\n");
        long laSize = random.nextInt(4) == 0 ? usableSectors : 1 + (long) (random.nextDouble() * usableSectors);
        out.append("la-size-sect ").append(laSize).append(";\nbm-byte-per-bit 4096;\n");
        out.append(String.format("device-uuid 0x%016X;\n", random.nextLong()));
        out.append("la-peer-max-bio-size ").append(random.nextInt(1 << 20)).append(";\n");
        out.append("al-stripes 1;\nal-stripe-size-4k 8;\n");
        long numbers = MetadataLayout.bitsPerSlot(laSize) / 64;
        for (int slot = 0; slot < maxPeers; slot++) {
            out.append("bitmap[").append(slot).append("] {\n");
            long j = 0;
            while (j < numbers) {
                int choice = random.nextInt(6);
                long run = Math.min(numbers - j, 1 + random.nextInt(40));
                if (choice == 0) {
                    out.append(' ').append(run).append(" times 0xFFFFFFFFFFFFFFFF;");
                } else if (choice <= 2) {
                    out.append(' ').append(run).append(" times 0x0000000000000000;");
                } else {
                    run = 1;
                    long value = random.nextLong() & random.nextLong();
                    if (j == numbers - 1) {
                        long surplus = MetadataLayout.bitsPerSlot(laSize) - (laSize + 7) / 8;
                        value &= surplus == 0 ? -1L : -1L >>> surplus;
                    }
                    out.append(String.format(" 0x%016X;", value));
                }
                j += run;
            }
            out.append("\n}\n");
        }
        return out.toString();
    }
}
