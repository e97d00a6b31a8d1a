package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The bitmap against a reference model of one {@link BitSet} per slot. */
class BitmapProperties {

    record Op(int kind, int slot, long from, long length) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 20_000),
                Arbitraries.longs().between(0, 3000)).as(Op::new);
        return op.list().ofMaxSize(60);
    }

    @Property(tries = 200)
    void behavesLikeOneBitSetPerSlot(@ForAll @IntRange(min = 1, max = 4) int maxPeers,
                                     @ForAll @IntRange(min = 1, max = 20_000) int bitCount,
                                     @ForAll("ops") List<Op> ops) {
        Bitmap bitmap = new Bitmap(maxPeers, bitCount);
        BitSet[] model = new BitSet[maxPeers];
        for (int s = 0; s < maxPeers; s++) {
            model[s] = new BitSet();
        }
        for (Op op : ops) {
            int slot = op.slot() % maxPeers;
            long from = op.from() % bitCount;
            long to = Math.min(bitCount, from + op.length());
            switch (op.kind()) {
                case 0:
                    assertThat(bitmap.set(slot, from)).isEqualTo(!model[slot].get((int) from));
                    model[slot].set((int) from);
                    break;
                case 1:
                    assertThat(bitmap.clear(slot, from)).isEqualTo(model[slot].get((int) from));
                    model[slot].clear((int) from);
                    break;
                case 2: {
                    long before = model[slot].get((int) from, (int) to).cardinality();
                    assertThat(bitmap.setRange(slot, from, to)).isEqualTo(to - from - before);
                    model[slot].set((int) from, (int) to);
                    break;
                }
                case 3: {
                    long before = model[slot].get((int) from, (int) to).cardinality();
                    assertThat(bitmap.clearRange(slot, from, to)).isEqualTo(before);
                    model[slot].clear((int) from, (int) to);
                    break;
                }
                default:
                    assertThat(bitmap.nextSet(slot, from)).isEqualTo(model[slot].nextSetBit((int) from));
                    long clear = model[slot].nextClearBit((int) from);
                    assertThat(bitmap.nextClear(slot, from)).isEqualTo(clear >= bitCount ? -1 : clear);
            }
        }
        for (int s = 0; s < maxPeers; s++) {
            assertThat(bitmap.count(s)).isEqualTo(model[s].cardinality()).isEqualTo(bitmap.recount(s));
            for (int bit = 0; bit < bitCount; bit += 97) {
                assertThat(bitmap.get(s, bit)).isEqualTo(model[s].get(bit));
            }
        }
        assertPagesRoundTrip(bitmap, model);
    }

    private static void assertPagesRoundTrip(Bitmap bitmap, BitSet[] model) {
        Bitmap copy = new Bitmap(bitmap.maxPeers(), bitmap.bitCount());
        ByteBuffer page = ByteBuffer.allocate(4096);
        for (int p = bitmap.nextDirtyPage(0); p >= 0; p = bitmap.nextDirtyPage(p + 1)) {
            page.clear();
            bitmap.encodePage(p, page);
            page.flip();
            copy.decodePage(p, page);
        }
        for (int s = 0; s < bitmap.maxPeers(); s++) {
            assertThat(copy.count(s)).as("slot %d after write-back of dirty pages", s)
                    .isEqualTo(model[s].cardinality());
        }
    }

    @Property(tries = 100)
    void onDiskLayoutInterleavesSlotsByLittleEndian32BitWords(@ForAll @IntRange(min = 1, max = 5) int maxPeers,
                                                              @ForAll @IntRange(min = 0, max = 4095) int bit,
                                                              @ForAll @IntRange(min = 0, max = 4) int slotSeed) {
        int slot = slotSeed % maxPeers;
        Bitmap bitmap = new Bitmap(maxPeers, 4096);
        bitmap.set(slot, bit);
        ByteBuffer page = ByteBuffer.allocate(4096);
        int pageIndex = bitmap.pageOf(slot, bit);
        bitmap.encodePage(pageIndex, page);
        long byteOffset = 4L * ((bit / 32) * maxPeers + slot) + (bit % 32) / 8 - 4096L * pageIndex;
        assertThat(page.get((int) byteOffset)).isEqualTo((byte) (1 << (bit % 8)));
        int nonZero = 0;
        for (int i = 0; i < 4096; i++) {
            nonZero += page.get(i) != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(1);
    }
}
