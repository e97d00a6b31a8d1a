package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuperblockCodecTest {

    static Superblock sample() {
        MetadataLayout layout = MetadataLayout.internal(64L << 20, 2, 1, 8);
        long[] bitmapUuids = new long[32];
        long[] dagtags = new long[32];
        long[] history = new long[32];
        bitmapUuids[1] = 0x51E0C3A94B7D2208L;
        dagtags[1] = 0x12000;
        history[0] = 0x3F8E21D06C4A9B52L;
        history[1] = 0x0C1D2E3F40516270L;
        GenerationUuids uuids = GenerationUuids.of(0x7A3C59E1B2D40F6CL, bitmapUuids, dagtags, history);
        return Superblock.fresh(layout, 1 << 20).withUuids(uuids).withFlags(0x91).withNodeId(0)
                .withEffectiveSizeSect(130992).withDeviceUuid(0x9E4B2A61D3C5F718L)
                .withPeer(1, new PeerSlot(0x10011, 0)).withPeer(2, new PeerSlot(0x10013, 1));
    }

    @Test
    void encodesTheVerifiedSampleOfTheReference() {
        ByteBuffer block = ByteBuffer.wrap(SuperblockCodec.encode(sample()));
        assertThat(block.getLong(0)).isEqualTo(130992);
        assertThat(block.getInt(56)).isEqualTo(0x91);
        assertThat(block.getInt(60)).isEqualTo(0x8374026D);
        assertThat(block.getInt(64)).isEqualTo(80);
        assertThat(block.getInt(68)).isEqualTo(-64);
        assertThat(block.getInt(72)).isEqualTo(257);
        assertThat(block.getInt(76)).isEqualTo(-72);
        assertThat(block.getInt(0x98)).isEqualTo(0);
        assertThat(block.getLong(0x90)).isEqualTo(0x51E0C3A94B7D2208L);
        assertThat(block.getLong(0x98)).isEqualTo(0x12000);
        assertThat(block.getInt(0xa0)).isEqualTo(0x10011);
        assertThat(block.getInt(0xc4)).isEqualTo(1);
        assertThat(block.getLong(0x470)).isEqualTo(0x3F8E21D06C4A9B52L);
    }

    @Test
    void roundTripsPlainAndGuarded() throws Exception {
        assertThat(SuperblockCodec.decode(SuperblockCodec.encode(sample()))).isEqualTo(sample());
        assertThat(SuperblockCodec.decode(SuperblockCodec.encodeGuarded(sample()))).isEqualTo(sample());
    }

    @ParameterizedTest(name = "byte {0} -> {1}")
    @CsvSource({
        "60, magic", "63, magic", "76, bm-offset", "88, max-peers", "91, max-peers", "92, node-id",
        "80, bm-byte-per-bit", "83, bm-byte-per-bit", "96, al-stripes", "103, al-stripe-size-4k",
        "132, peer[0].bitmap-index", "135, peer[0].bitmap-index", "1124, peer[31].bitmap-index",
    })
    void flippedStructuralByteIsReportedWithItsField(int offset, String field) {
        MetadataLayout layout = MetadataLayout.internal(64L << 20, 2, 1, 8);
        byte[] block = SuperblockCodec.encode(sample());
        block[offset] ^= (byte) 0x40;
        assertThatThrownBy(() -> {
            Superblock decoded = SuperblockCodec.decode(block);
            MetadataFormatException layoutError = SuperblockCodec.checkLayout(decoded, layout);
            if (layoutError != null) {
                throw layoutError;
            }
        }).isInstanceOfSatisfying(MetadataFormatException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void guardedBlockSurvivesAnyFlipInOneCopyAndReportsBoth() throws Exception {
        byte[] good = SuperblockCodec.encodeGuarded(sample());
        for (int offset = 0; offset < SuperblockCodec.FIELDS_BYTES; offset += 7) {
            byte[] bad = good.clone();
            bad[offset] ^= 1;
            assertThat(SuperblockCodec.decode(bad)).isEqualTo(sample());
            bad[SuperblockCodec.OFF_BACKUP + offset] ^= 1;
            assertThatThrownBy(() -> SuperblockCodec.decode(bad)).isInstanceOfSatisfying(
                    MetadataFormatException.class, e -> assertThat(e.field()).isEqualTo("superblock"));
        }
    }

    @Test
    void v08MagicIsNamed() {
        byte[] block = SuperblockCodec.encode(sample());
        ByteBuffer.wrap(block).putInt(60, SuperblockCodec.MAGIC_V08);
        assertThatThrownBy(() -> SuperblockCodec.decode(block)).hasMessageContaining("v08 meta-data (DRBD 8.4)");
    }
}
