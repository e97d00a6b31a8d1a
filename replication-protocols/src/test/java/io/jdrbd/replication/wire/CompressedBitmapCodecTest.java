package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The RLE+VLI bitmap coding against the worked examples of the wire reference §5.3, and round trips. */
class CompressedBitmapCodecTest {

    private static long[] words(long bitCount, long... setBits) {
        long[] words = new long[(int) ((bitCount + 63) / 64)];
        for (long bit : setBits) {
            words[(int) (bit / 64)] |= 1L << bit;
        }
        return words;
    }

    private static String encodeAll(long bitCount, long... setBits) {
        CompressedBitmapCodec.Encoded encoded = CompressedBitmapCodec.encode(0,
                BitmapView.ofWords(words(bitCount, setBits), bitCount), 0, Limits.MAX_CONTROL_PAYLOAD_BYTES);
        assertThat(encoded.nextBit()).isEqualTo(bitCount);
        CompressedBitmapPacket packet = encoded.packet();
        return String.format("%02x", packet.encoding()) + ByteBufUtil.hexDump(packet.code());
    }

    @Test
    void encodesTheReferenceExamples() {
        long[] tenToNineteen = new long[10];
        for (int i = 0; i < 10; i++) {
            tenToNineteen[i] = 10 + i;
        }
        assertThat(encodeAll(100, tenToNineteen)).isEqualTo("4297cbf701");
        assertThat(encodeAll(2_621_440)).isEqualTo("62bfcfde070000");
        assertThat(encodeAll(100, 0, 2)).isEqualTo("c2c00703");
    }

    @Test
    void decodesTheFirstReferenceExample() throws ProtocolException {
        CompressedBitmapPacket packet = new CompressedBitmapPacket(0, 0x42,
                ByteBufUtil.decodeHexDump("97cbf701"));
        List<long[]> runs = new ArrayList<>();
        long end = CompressedBitmapCodec.decode(packet, 0, 100, (first, length) -> runs.add(new long[] {first,
            length}));
        assertThat(end).isEqualTo(100);
        assertThat(runs).containsExactly(new long[] {10, 10});
    }

    @Test
    void aRunPastTheEndOfTheBitmapIsAnError() {
        CompressedBitmapPacket packet = new CompressedBitmapPacket(0, 0x42, ByteBufUtil.decodeHexDump("97cbf701"));
        assertThatThrownBy(() -> CompressedBitmapCodec.decode(packet, 0, 99, (first, length) -> { }))
                .hasMessage("P_COMPRESSED_BITMAP: field code run of 80 bits at bit 20 passes the end of the bitmap"
                        + " (99 bits)");
    }

    @Test
    void aCodeWordCutByThePadBitsIsAnError() {
        // 0x97cbf701 holds 28 valid bits; claiming 7 pad bits cuts the last 14-bit code word
        CompressedBitmapPacket packet = new CompressedBitmapPacket(0, 0x72, ByteBufUtil.decodeHexDump("97cbf701"));
        assertThatThrownBy(() -> CompressedBitmapCodec.decode(packet, 0, 100, (first, length) -> { }))
                .hasMessage("P_COMPRESSED_BITMAP: field code code word of 14 bits truncated: 11 valid bits left");
    }

    @Test
    void anotherEncodingIsAnError() {
        CompressedBitmapPacket packet = new CompressedBitmapPacket(0, 0x01, new byte[] {1});
        assertThatThrownBy(() -> CompressedBitmapCodec.decode(packet, 0, 100, (first, length) -> { }))
                .hasMessageContaining("field encoding is 1, expected 2");
    }

    @Property(tries = 300)
    void anyBitmapSurvivesATransferInPacketsOfAnySize(@ForAll @Size(max = 40) List<@IntRange(min = 1, max = 5000)
            Integer> runs, @ForAll boolean startSet, @ForAll @IntRange(min = 9, max = 64) int maxPayloadBytes)
            throws ProtocolException {
        long bitCount = runs.stream().mapToLong(Integer::longValue).sum();
        BitSet expected = new BitSet();
        long bit = 0;
        boolean set = startSet;
        for (int run : runs) {
            if (set) {
                expected.set((int) bit, (int) (bit + run));
            }
            bit += run;
            set = !set;
        }
        long[] words = expected.toLongArray();
        BitmapView view = BitmapView.ofWords(java.util.Arrays.copyOf(words, (int) ((bitCount + 63) / 64)), bitCount);
        BitSet received = new BitSet();
        long position = 0;
        int packets = 0;
        while (position < bitCount) {
            CompressedBitmapCodec.Encoded encoded = CompressedBitmapCodec.encode(3, view, position, maxPayloadBytes);
            assertThat(1 + encoded.packet().code().length).isLessThanOrEqualTo(maxPayloadBytes);
            long end = CompressedBitmapCodec.decode(encoded.packet(), position, bitCount,
                    (first, length) -> received.set((int) first, (int) (first + length)));
            assertThat(end).isEqualTo(encoded.nextBit()).isGreaterThan(position);
            position = end;
            packets++;
            assertThat(packets).isLessThanOrEqualTo(runs.size());
        }
        assertThat(received).isEqualTo(expected);
    }

    @Test
    void theWordViewFindsSetAndClearBitsAcrossWords() {
        BitmapView view = BitmapView.ofWords(words(200, 70, 130, 131), 200);
        assertThat(view.nextSetBit(0)).isEqualTo(70);
        assertThat(view.nextSetBit(71)).isEqualTo(130);
        assertThat(view.nextClearBit(130)).isEqualTo(132);
        assertThat(view.nextSetBit(132)).isEqualTo(200);
        assertThat(BitmapView.ofWords(new long[] {-1L, -1L}, 100).nextClearBit(5)).isEqualTo(100);
    }
}
