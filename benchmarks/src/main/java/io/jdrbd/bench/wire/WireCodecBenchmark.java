package io.jdrbd.bench.wire;

import io.jdrbd.replication.wire.BlockAck;
import io.jdrbd.replication.wire.DataPacket;
import io.jdrbd.replication.wire.DpFlags;
import io.jdrbd.replication.wire.FrameDecoder;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketEncoder;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.PayloadHolder;
import io.jdrbd.replication.wire.ProtocolException;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The DRBD wire codec on its hot paths: a 4 KiB P_DATA and a P_WRITE_ACK, encoded and decoded with
 * pooled direct buffers (what {@code node} uses). Run with {@code -prof gc} to see bytes allocated per
 * operation: the data payload is never copied, and acks encode into a reused buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireCodecBenchmark {

    private static final int BLOCK_BYTES = 4096;

    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final PacketEncoder encoder = new PacketEncoder(allocator);
    private final FrameDecoder dataDecoder = new FrameDecoder(Stream.DATA, 1 << 20, allocator);
    private final FrameDecoder metaDecoder = new FrameDecoder(Stream.META, 1 << 20, allocator);

    private DataPacket data;
    private BlockAck ack;
    private ByteBuf encodedData;
    private ByteBuf encodedAck;
    private ByteBuf scratch;
    private Blackhole blackhole;
    private Consumer<Packet> releasingSink;
    private Consumer<Packet> sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        this.blackhole = blackhole;
        ByteBuf block = allocator.directBuffer(BLOCK_BYTES).writeZero(BLOCK_BYTES);
        data = DataPacket.write(0, 2048, 0x1234_5678_9ABCL, 7, DpFlags.DP_RW_SYNC | DpFlags.DP_SEND_WRITE_ACK, block);
        ack = new BlockAck(PacketType.P_WRITE_ACK, 0, 2048, 0x1234_5678_9ABCL, BLOCK_BYTES, 7);
        encodedData = allocator.directBuffer();
        ByteBuf composite = encoder.encode(data);
        encodedData.writeBytes(composite);
        composite.release();
        encodedAck = allocator.directBuffer();
        PacketEncoder.encodeInto(ack, encodedAck);
        scratch = allocator.directBuffer(256);
        releasingSink = packet -> {
            blackhole.consume(packet);
            ((PayloadHolder) packet).release();
        };
        sink = blackhole::consume;
    }

    @TearDown
    public void tearDown() {
        data.release();
        encodedData.release();
        encodedAck.release();
        scratch.release();
    }

    /** P_DATA 4K as one composite buffer (header + shared payload), released as a socket write would. */
    @Benchmark
    public void encodeData4kComposite() {
        ByteBuf wire = encoder.encode(data);
        blackhole.consume(wire.readableBytes());
        wire.release();
    }

    /** P_DATA 4K as a header prefix into a reused buffer; the payload goes out as its own buffer. */
    @Benchmark
    public int encodeData4kPrefix() {
        scratch.clear();
        PacketEncoder.encodeDataPrefixInto(data, scratch);
        return scratch.readableBytes();
    }

    /** P_DATA 4K from a received buffer: a retained slice of the input, released by the consumer. */
    @Benchmark
    public void decodeData4k() throws ProtocolException {
        encodedData.readerIndex(0);
        dataDecoder.decode(encodedData, releasingSink);
    }

    @Benchmark
    public int encodeWriteAck() {
        scratch.clear();
        PacketEncoder.encodeInto(ack, scratch);
        return scratch.readableBytes();
    }

    @Benchmark
    public void decodeWriteAck() throws ProtocolException {
        encodedAck.readerIndex(0);
        metaDecoder.decode(encodedAck, sink);
    }
}
