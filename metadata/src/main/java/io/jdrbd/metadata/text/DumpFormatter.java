package io.jdrbd.metadata.text;

import io.jdrbd.metadata.GenerationUuids;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.PeerSlot;
import io.jdrbd.metadata.Superblock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * drbdmeta's {@code dump-md} text for v09 meta-data, byte for byte from the line after the comment
 * header (drbd-metadata.md §6.2, §6.3). The header (date, host, command line) is the caller's.
 */
public final class DumpFormatter {
    /** drbdmeta reads the bitmap in chunks of about 32 MiB; runs are only detected within one. */
    private static final long CHUNK_BYTES = 33554432;

    private DumpFormatter() {
    }

    /** Line (0): printed before the header when la-size-sect exceeds the usable size. */
    public static String truncationNotice(long laSizeSect, long usableSect) {
        return "# la-size-sect was too big (" + laSizeSect + "), truncated (" + usableSect + ")!\n";
    }

    /** The comment header: title, time, host and command line, then "#" and an empty line. */
    public static String header(String timeLine, String host, String commandLine) {
        return "# DRBD meta data dump\n# " + timeLine + "\n# " + host + ">" + commandLine + "\n#\n\n";
    }

    /**
     * The body after the header.
     *
     * @param sb         the superblock (la-size-sect already clipped by the caller)
     * @param layout     the layout the superblock was found at
     * @param bitmap     the on-disk bitmap bytes for {@code bm_bytes(la-size-sect)}
     */
    public static String body(Superblock sb, MetadataLayout layout, ByteBuffer bitmap) {
        StringBuilder out = new StringBuilder(4096 + bitmap.remaining() / 2);
        out.append("version \"v09\";\n\n");
        if (!sb.hasFlag(MetadataFlags.MDF_AL_CLEAN)) {
            out.append("This_is_an_unclean_meta_data_dump._Don't_trust_the_bitmap.\n");
            out.append("# You should \"apply-al\" first, if you plan to restore this.\n\n");
        }
        out.append("max-peers ").append(sb.maxPeers()).append(";\n");
        out.append("# md_size_sect ").append(Integer.toUnsignedLong(sb.mdSizeSect())).append('\n');
        out.append("# md_offset ").append(layout.mdOffsetBytes()).append('\n');
        out.append("# al_offset ").append(layout.alStartBytes()).append('\n');
        out.append("# bm_offset ").append(layout.bmStartBytes()).append("\n\n");
        out.append("node-id ").append(sb.nodeId()).append(";\n");
        GenerationUuids uuids = sb.uuids();
        out.append(String.format("current-uuid 0x%016X;\n", uuids.current()));
        out.append(String.format("flags 0x%08X;\n", sb.flags()));
        for (int node = 0; node < Superblock.NODES; node++) {
            PeerSlot peer = sb.peer(node);
            out.append("peer[").append(node).append("] {\n");
            out.append("    bitmap-index ").append(peer.bitmapIndex()).append(";\n");
            out.append(String.format("    bitmap-uuid 0x%016X;\n", uuids.bitmapUuid(node)));
            out.append(String.format("    bitmap-dagtag 0x%016X;\n", uuids.bitmapDagtag(node)));
            out.append(String.format("    flags 0x%08X;", peer.flags()));
            if (peer.flags() != 0) {
                out.append(" # ").append(MetadataFlags.describePeerFlags(peer.flags()));
            }
            out.append("\n}\n");
        }
        out.append("history-uuids {");
        for (int i = 0; i < GenerationUuids.HISTORY; i++) {
            out.append(i % 4 == 0 ? "\n        " : " ");
            out.append(String.format("0x%016X;", uuids.history(i)));
        }
        out.append("\n}\n");
        out.append("# al-extents ").append(Integer.toUnsignedLong(sb.alNrExtents())).append(";\n");
        out.append("la-size-sect ").append(sb.effectiveSizeSect()).append(";\n");
        out.append("bm-byte-per-bit ").append(Integer.toUnsignedLong(sb.bmBytesPerBit())).append(";\n");
        out.append(String.format("device-uuid 0x%016X;\n", sb.deviceUuid()));
        out.append("la-peer-max-bio-size ").append(sb.laPeerMaxBioSize()).append(";\n");
        out.append("al-stripes ").append(Integer.toUnsignedLong(sb.alStripes())).append(";\n");
        out.append("al-stripe-size-4k ").append(Integer.toUnsignedLong(sb.alStripeSize4k())).append(";\n");
        long bmBytes = sb.effectiveSizeSect() == 0 ? 0 : MetadataLayout.bitmapBytes(sb.effectiveSizeSect(),
                sb.maxPeers());
        out.append("# bm-bytes ").append(bmBytes).append(";\n");
        ByteBuffer words = bitmap.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long bitsSet = 0;
        for (int slot = 0; slot < sb.maxPeers(); slot++) {
            out.append("bitmap[").append(slot).append("] ");
            bitsSet = appendSlot(out, words, slot, sb.maxPeers(), bmBytes);
        }
        out.append("# bits-set ").append(bitsSet).append(";\n");
        return out.toString();
    }

    /** Appends one slot's body; returns the number of set bits in it (drbdmeta prints the last slot's). */
    static long appendSlot(StringBuilder out, ByteBuffer words, int slot, int peers, long bmBytes) {
        out.append('{');
        long n = bmBytes / 4;
        long count = n > slot ? (n - slot + peers - 1) / peers : 0;
        long chunkBytes = CHUNK_BYTES / (4096L * peers) * 4096L * peers;
        long bitsSet = 0;
        long low = 0;
        long k = 0;
        while (k < count) {
            if (k % 8 == 0) {
                out.append((k * peers) % 64 == 0 ? "\n   # at " + (128 * k * peers) + "kB\n   " : "\n   ");
                long run = runLength(words, slot, peers, k, count, chunkBytes);
                if (run > 8) {
                    int value = word(words, slot, peers, k);
                    out.append(' ').append(run / 2).append(" times ")
                            .append(String.format("0x%08X%08X;", value, value));
                    bitsSet += run * Integer.bitCount(value);
                    k += run;
                    continue;
                }
            }
            int value = word(words, slot, peers, k);
            bitsSet += Integer.bitCount(value);
            if (k % 2 == 0) {
                low = Integer.toUnsignedLong(value);
            } else {
                out.append(String.format(" 0x%08X%08X;", value, low));
            }
            k++;
        }
        out.append("\n}\n");
        return bitsSet;
    }

    /**
     * Words equal to word {@code k} from {@code k} on, rounded down to a multiple of 8. Whether a
     * run starts is decided within drbdmeta's read chunk; a started run continues past it.
     */
    private static long runLength(ByteBuffer words, int slot, int peers, long k, long count, long chunkBytes) {
        int value = word(words, slot, peers, k);
        long chunkEnd = ((k * peers + slot) * 4 / chunkBytes + 1) * chunkBytes;
        long j = k + 1;
        while (j < count && (j * peers + slot) * 4 < chunkEnd && word(words, slot, peers, j) == value) {
            j++;
        }
        long inChunk = (j - k) / 8 * 8;
        if (inChunk <= 8) {
            return inChunk;
        }
        while (j < count && word(words, slot, peers, j) == value) {
            j++;
        }
        return (j - k) / 8 * 8;
    }

    private static int word(ByteBuffer words, int slot, int peers, long k) {
        long index = (k * peers + slot) * 4;
        return words.getInt(words.position() + (int) index);
    }
}
