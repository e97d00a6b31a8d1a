package io.jdrbd.replication.wire;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** Encoding and decoding helpers shared by the wire tests. */
final class WireTestSupport {

    static final PacketEncoder ENCODER = new PacketEncoder(UnpooledByteBufAllocator.DEFAULT);

    private WireTestSupport() {
    }

    static byte[] encode(List<? extends Packet> packets) {
        ByteBuf out = Unpooled.buffer();
        for (Packet packet : packets) {
            ByteBuf one = ENCODER.encode(packet);
            out.writeBytes(one);
            one.release();
        }
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    static byte[] encode(Packet packet) {
        return encode(List.of(packet));
    }

    static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    /** Decodes with {@link FrameDecoder#feed}, cutting the bytes at {@code cuts} (ascending offsets). */
    static List<Packet> feedSplit(byte[] bytes, int... cuts) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(null, Limits.DRBD_MAX_BIO_SIZE, UnpooledByteBufAllocator.DEFAULT);
        List<Packet> packets = new ArrayList<>();
        List<ByteBuf> chunks = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuf chunk = Unpooled.buffer(to - from);
            chunk.writeBytes(bytes, from, to - from);
            chunks.add(chunk);
            decoder.feed(chunk, packets::add);
            from = to;
        }
        if (decoder.bufferedBytes() != 0) {
            throw new AssertionError(decoder.bufferedBytes() + " bytes left undecoded");
        }
        return packets;
    }

    /** Releases the payloads of decoded data packets. */
    static void release(List<? extends Packet> packets) {
        for (Packet packet : packets) {
            if (packet instanceof PayloadHolder holder) {
                holder.release();
            }
        }
    }

    /** An allocator that remembers the largest capacity any buffer was requested with. */
    static final class MeasuringAllocator extends AbstractByteBufAllocator {
        int largestRequest;
        long totalRequested;

        MeasuringAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            note(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            note(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return UnpooledByteBufAllocator.DEFAULT.compositeHeapBuffer(maxNumComponents);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private void note(int capacity) {
            largestRequest = Math.max(largestRequest, capacity);
            totalRequested += capacity;
        }
    }

    static ByteBufAllocator unpooled() {
        return UnpooledByteBufAllocator.DEFAULT;
    }
}
