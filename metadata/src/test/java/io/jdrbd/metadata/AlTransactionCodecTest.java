package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AlTransactionCodecTest {

    @Test
    void initializedBlockHasDrbdmetasChecksum() {
        byte[] block = AlTransactionCodec.initializedBlock();
        assertThat(ByteBuffer.wrap(block).getInt(8)).isEqualTo(0x709CC651);
    }

    @Test
    void updateBlockRoundTrips() throws Exception {
        byte[] block = AlTransactionCodec.encodeUpdate(-2, 2, new int[] {0, 5}, new long[] {7, 0xFFFFFFFEL}, 1237,
                919, new long[] {1, 2, 3});
        AlTransactionCodec.AlBlock decoded = AlTransactionCodec.decode(block, "block");
        assertThat(decoded.trNumber()).isEqualTo(-2);
        assertThat(decoded.nUpdates()).isEqualTo(2);
        assertThat(decoded.updateSlots()[1]).isEqualTo(5);
        assertThat(decoded.updateExtents()[1]).isEqualTo(0xFFFFFFFEL);
        assertThat(decoded.updateSlots()[2]).isEqualTo(0xFFFF);
        assertThat(decoded.contextSize()).isEqualTo(1237);
        assertThat(decoded.contextStartSlot()).isEqualTo(919);
        assertThat(decoded.context()[2]).isEqualTo(3);
        assertThat(decoded.context()[3]).isEqualTo(AlTransactionCodec.LC_FREE);
    }

    @Test
    void everyFlippedByteIsDetectedAndNamed() {
        byte[] good = AlTransactionCodec.encodeUpdate(9, 1, new int[] {3}, new long[] {42}, 67, 0, new long[67]);
        for (int offset = 0; offset < good.length; offset++) {
            byte[] bad = good.clone();
            bad[offset] ^= 0x10;
            String expectedField = offset < 4 ? "magic" : "crc32c";
            assertThatThrownBy(() -> AlTransactionCodec.decode(bad, "al ring position 0"))
                    .isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("al ring position 0 " + expectedField);
        }
    }
}
