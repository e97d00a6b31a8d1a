package io.jdrbd.metadata.text;

import io.jdrbd.metadata.GenerationUuids;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.PeerSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a v09 {@code dump-md} text the way drbdmeta's {@code restore-md} does (drbd-metadata.md
 * §6.4): comments and layout are free, the statements come in a fixed order, hex numbers have
 * exactly 16 digits (8 for flags). Errors name the line and what was expected.
 */
public final class DumpParser {
    /** Bitmap numbers accepted per slot: 32 GiB of bitmap would be 2^32 numbers; far beyond any sane dump. */
    private static final long MAX_BITMAP_NUMBERS = 1L << 31;

    /** The content of a dump: superblock values and the bitmap of each slot as 64-bit numbers. */
    public record Dump(int maxPeers, int nodeId, GenerationUuids uuids, int flags, List<PeerSlot> peers,
                       long laSizeSect, int bmBytesPerBit, long deviceUuid, int laPeerMaxBioSize, int alStripes,
                       int alStripeSize4k, List<long[]> bitmaps) {
    }

    private final DumpLexer lexer;

    private DumpParser(String text) {
        this.lexer = new DumpLexer(text);
    }

    public static Dump parse(String text) throws MetadataFormatException {
        return new DumpParser(text).dump();
    }

    private Dump dump() throws MetadataFormatException {
        keyword("version");
        String version = lexer.string();
        if (!version.equals("v09")) {
            throw lexer.error("version \"v09\" expected, found \"" + version + "\"");
        }
        lexer.symbol(';');
        int maxPeers = (int) numberStatement("max-peers", 1, 32);
        int nodeId = (int) numberStatement("node-id", -1, 31);
        keyword("current-uuid");
        long current = lexer.hex(16);
        lexer.symbol(';');
        keyword("flags");
        int flags = (int) lexer.hex(8);
        lexer.symbol(';');
        long[] bitmapUuids = new long[32];
        long[] dagtags = new long[32];
        PeerSlot[] peers = new PeerSlot[32];
        for (int i = 0; i < 32; i++) {
            keyword("peer");
            lexer.symbol('[');
            int node = (int) lexer.number(0, 31);
            lexer.symbol(']');
            if (peers[node] != null) {
                throw lexer.error("peer[" + node + "] given twice");
            }
            lexer.symbol('{');
            int bitmapIndex = (int) numberStatement("bitmap-index", -1, 31);
            keyword("bitmap-uuid");
            bitmapUuids[node] = lexer.hex(16);
            lexer.symbol(';');
            keyword("bitmap-dagtag");
            dagtags[node] = lexer.hex(16);
            lexer.symbol(';');
            keyword("flags");
            int peerFlags = (int) lexer.hex(8);
            lexer.symbol(';');
            lexer.symbol('}');
            peers[node] = new PeerSlot(peerFlags, bitmapIndex);
        }
        keyword("history-uuids");
        lexer.symbol('{');
        long[] history = new long[32];
        for (int i = 0; i < 32; i++) {
            history[i] = lexer.hex(16);
            lexer.symbol(';');
        }
        lexer.symbol('}');
        long laSize = numberStatement("la-size-sect", 0, Long.MAX_VALUE);
        int bytesPerBit = (int) numberStatement("bm-byte-per-bit", 4096, 1L << 20);
        if (Integer.bitCount(bytesPerBit) != 1) {
            throw lexer.error("bm-byte-per-bit must be a power of two, found " + bytesPerBit);
        }
        keyword("device-uuid");
        long deviceUuid = lexer.hex(16);
        lexer.symbol(';');
        int maxBio = (int) numberStatement("la-peer-max-bio-size", 0, Integer.MAX_VALUE);
        int alStripes = (int) numberStatement("al-stripes", 0, 0xFFFFFFFFL);
        int alStripeSize4k = (int) numberStatement("al-stripe-size-4k", 0, 0xFFFFFFFFL);
        List<long[]> bitmaps = new ArrayList<>();
        for (int slot = 0; slot < maxPeers; slot++) {
            bitmaps.add(bitmap(slot));
        }
        lexer.end();
        GenerationUuids uuids = GenerationUuids.of(current, bitmapUuids, dagtags, history);
        return new Dump(maxPeers, nodeId, uuids, flags, Arrays.asList(peers), laSize, bytesPerBit, deviceUuid,
                maxBio, alStripes, alStripeSize4k, bitmaps);
    }

    private long[] bitmap(int slot) throws MetadataFormatException {
        keyword("bitmap");
        lexer.symbol('[');
        long index = lexer.number(0, 31);
        if (index != slot) {
            throw lexer.error("bitmap[" + slot + "] expected, found bitmap[" + index + "]");
        }
        lexer.symbol(']');
        lexer.symbol('{');
        long[] numbers = new long[64];
        int count = 0;
        while (!lexer.peekSymbol('}')) {
            long repeat = 1;
            if (lexer.peekNumber()) {
                repeat = lexer.number(0, MAX_BITMAP_NUMBERS);
                keyword("times");
            }
            long value = lexer.hex(16);
            lexer.symbol(';');
            if (count + repeat > MAX_BITMAP_NUMBERS) {
                throw lexer.error("bitmap[" + slot + "] is larger than any device");
            }
            while (count + repeat > numbers.length) {
                numbers = Arrays.copyOf(numbers, numbers.length * 2);
            }
            Arrays.fill(numbers, count, (int) (count + repeat), value);
            count += (int) repeat;
        }
        lexer.symbol('}');
        return Arrays.copyOf(numbers, count);
    }

    private long numberStatement(String name, long min, long max) throws MetadataFormatException {
        keyword(name);
        long value = lexer.number(min, max);
        lexer.symbol(';');
        return value;
    }

    private void keyword(String name) throws MetadataFormatException {
        lexer.keyword(name);
    }
}
