package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class BlockTagTest {

    private static byte[] stamped(long tag, long offsetBytes, int blocks) {
        ByteBuf buf = Unpooled.buffer(blocks * BlockTag.BLOCK_BYTES);
        BlockTag.stamp(buf, tag, offsetBytes, blocks);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    @Test
    void everyBlockOfAWriteDecodesToItsTag() {
        long tag = BlockTag.tag(3, 77);
        byte[] bytes = stamped(tag, 8 * 4096, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(BlockTag.decode(bytes, i * 4096, (8 + i) * 4096L)).isEqualTo(tag);
        }
        assertThat(BlockTag.client(tag)).isEqualTo(3);
        assertThat(BlockTag.sequence(tag)).isEqualTo(77);
    }

    @Test
    void zeroesDecodeAsNeverWritten() {
        assertThat(BlockTag.decode(new byte[4096], 0, 0)).isEqualTo(BlockTag.ZERO);
    }

    @Test
    void aBlockFoundAtTheWrongPlaceIsDamaged() {
        byte[] bytes = stamped(BlockTag.tag(1, 1), 0, 1);
        assertThat(BlockTag.decode(bytes, 0, 4096)).isEqualTo(BlockTag.DAMAGED);
    }

    @Test
    void aTornBlockIsDamaged() {
        byte[] older = stamped(BlockTag.tag(1, 1), 0, 1);
        byte[] newer = stamped(BlockTag.tag(1, 2), 0, 1);
        System.arraycopy(newer, 0, older, 0, 512);
        assertThat(BlockTag.decode(older, 0, 0)).isEqualTo(BlockTag.DAMAGED);
    }

    @Test
    void aFlippedBitIsDamaged() {
        byte[] bytes = stamped(BlockTag.tag(1, 1), 0, 1);
        bytes[3000] ^= 0x10;
        assertThat(BlockTag.decode(bytes, 0, 0)).isEqualTo(BlockTag.DAMAGED);
    }
}
