package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.nbd.ClientWire.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transmission over a real loopback socket against an in-JVM server on port 0. */
class TransmissionLoopbackTest {
    private static final int SIZE = 8 << 20;

    private final TestDevice device = new TestDevice(SIZE);
    private final TestDevice readOnlyDevice = new TestDevice(SIZE);
    private NbdServer server;
    private ExecutorService completer;

    @BeforeEach
    void start() throws InterruptedException {
        server = NbdServer.start(NbdServerConfig.builder().port(0).ioThreads(2).build());
        server.addExport(NbdExport.of("r0", device));
        server.addExport(NbdExport.of("ro", readOnlyDevice).withReadOnly(true));
        server.addExport(NbdExport.of("aligned", new TestDevice(SIZE)).withMinimumBlockSize(512));
    }

    @AfterEach
    void stop() {
        server.close();
        if (completer != null) {
            completer.shutdownNow();
        }
    }

    private SocketClient client(String name, boolean structured, boolean baseAllocation) throws IOException {
        return new SocketClient(server.port()).go(name, structured, baseAllocation);
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldWriteAndReadBackWithSimpleReplies() throws IOException {
        try (SocketClient c = client("r0", false, false)) {
            byte[] data = random(65536, 1);
            c.request(NbdProtocol.CMD_FLAG_FUA, NbdProtocol.CMD_WRITE, 11, 4096, data.length, data);
            Reply written = c.readReply(0);
            assertThat(written.cookie()).isEqualTo(11);
            assertThat(written.error()).isZero();
            assertThat(device.fuaWrites.get()).isEqualTo(1);
            c.request(0, NbdProtocol.CMD_READ, 12, 4096, data.length, null);
            Reply read = c.readReply(data.length);
            assertThat(read.structured()).isFalse();
            assertThat(read.payload()).isEqualTo(data);
            c.request(0, NbdProtocol.CMD_FLUSH, 13, 0, 0, null);
            assertThat(c.readReply(0).error()).isZero();
            assertThat(device.flushes.get()).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswerReadsWithOneOffsetDataChunkWhenStructured() throws IOException {
        device.fill(8192, random(4096, 2));
        try (SocketClient c = client("r0", true, false)) {
            assertThat(c.transmissionFlags & NbdProtocol.TFLAG_SEND_DF).isNotZero();
            c.request(NbdProtocol.CMD_FLAG_DF, NbdProtocol.CMD_READ, 21, 8192, 4096, null);
            Reply chunk = c.readReply(0);
            assertThat(chunk.chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_OFFSET_DATA);
            assertThat(chunk.done()).isTrue();
            ByteBuf payload = Unpooled.wrappedBuffer(chunk.payload());
            assertThat(payload.readLong()).isEqualTo(8192);
            byte[] data = new byte[payload.readableBytes()];
            payload.readBytes(data);
            assertThat(data).isEqualTo(random(4096, 2));
        }
    }

    @Test
    void shouldAnswerSparseReadsWithHoleChunks() throws IOException {
        device.fill(65536, random(65536, 7));
        try (SocketClient c = client("r0", true, false)) {
            c.request(0, NbdProtocol.CMD_READ, 1, 1 << 20, 128 << 10, null);
            Reply hole = c.readReply(0);
            assertThat(hole.chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_OFFSET_HOLE);
            assertThat(hole.done()).isTrue();
            ByteBuf holePayload = Unpooled.wrappedBuffer(hole.payload());
            assertThat(holePayload.readLong()).isEqualTo(1 << 20);
            assertThat(holePayload.readUnsignedInt()).isEqualTo(128 << 10);

            c.request(0, NbdProtocol.CMD_READ, 2, 0, 256 << 10, null);
            byte[] assembled = new byte[256 << 10];
            java.util.Arrays.fill(assembled, (byte) 0x77);
            List<Integer> types = new ArrayList<>();
            Reply chunk;
            do {
                chunk = c.readReply(0);
                assertThat(chunk.cookie()).isEqualTo(2);
                types.add(chunk.chunkType());
                ByteBuf payload = Unpooled.wrappedBuffer(chunk.payload());
                int at = (int) payload.readLong();
                if (chunk.chunkType() == NbdProtocol.REPLY_TYPE_OFFSET_HOLE) {
                    java.util.Arrays.fill(assembled, at, at + payload.readInt(), (byte) 0);
                } else {
                    payload.readBytes(assembled, at, payload.readableBytes());
                }
            } while (!chunk.done());
            assertThat(types).containsExactly(NbdProtocol.REPLY_TYPE_OFFSET_HOLE, NbdProtocol.REPLY_TYPE_OFFSET_DATA,
                    NbdProtocol.REPLY_TYPE_OFFSET_HOLE);
            byte[] expected = new byte[256 << 10];
            System.arraycopy(random(65536, 7), 0, expected, 65536, 65536);
            assertThat(assembled).isEqualTo(expected);

            c.request(NbdProtocol.CMD_FLAG_DF, NbdProtocol.CMD_READ, 3, 0, 256 << 10, null);
            Reply whole = c.readReply(0);
            assertThat(whole.chunkType()).as("DF: one data chunk").isEqualTo(NbdProtocol.REPLY_TYPE_OFFSET_DATA);
            assertThat(whole.done()).isTrue();
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsOutOfOrderWithEveryCookieOnce() throws IOException {
        completer = Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();
        device.completeOn(command -> completer.execute(() -> {
            try {
                // Uneven completion delays (0-2 ms, a fixed pattern) so replies leave out of order.
                Thread.sleep(sequence.incrementAndGet() * 7 % 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            command.run();
        }));
        try (SocketClient c = client("r0", true, false)) {
            int count = 200;
            for (int i = 0; i < count; i++) {
                byte[] data = random(4096, 100 + i);
                c.request(0, NbdProtocol.CMD_WRITE, i, (long) i * 4096, 4096, data);
            }
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Reply reply = c.readReply(0);
                assertThat(reply.error()).isZero();
                order.add(reply.cookie());
            }
            assertThat(new HashSet<>(order)).hasSize(count);
            for (int i = 0; i < count; i++) {
                c.request(0, NbdProtocol.CMD_READ, 1000 + i, (long) i * 4096, 4096, null);
            }
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < count; i++) {
                Reply reply = c.readReply(0);
                int index = (int) (reply.cookie() - 1000);
                assertThat(seen.add(reply.cookie())).isTrue();
                byte[] data = java.util.Arrays.copyOfRange(reply.payload(), 8, reply.payload().length);
                assertThat(data).as("read of block %d", index).isEqualTo(random(4096, 100 + index));
            }
        }
    }

    @Test
    void shouldRefuseOutOfRangeReadsWithEinvalAndStayUsable() throws IOException {
        try (SocketClient c = client("r0", true, false)) {
            c.request(0, NbdProtocol.CMD_READ, 1, SIZE, 512, null);
            Reply past = c.readReply(0);
            assertThat(past.chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_ERROR);
            assertThat(past.error()).isEqualTo(NbdProtocol.EINVAL);
            assertThat(SocketClient.text(past.payload())).contains("beyond the end");
            c.request(0, NbdProtocol.CMD_READ, 2, SIZE - 512, 1024, null);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 3, -512L, 1024, null);
            assertThat(c.readReply(0).error()).as("offset near 2^64").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 4, 0, 512, null);
            assertThat(c.readReply(0).error()).isZero();
        }
    }

    @Test
    void shouldAnswerBadRequestsAsNbdkitDoes() throws IOException {
        try (SocketClient c = client("r0", false, false)) {
            byte[] block = new byte[4096];
            c.request(0, NbdProtocol.CMD_WRITE, 1, SIZE - 512, 4096, block);
            assertThat(c.readReply(0).error()).as("write past end").isEqualTo(NbdProtocol.ENOSPC);
            c.request(0, NbdProtocol.CMD_WRITE_ZEROES, 2, SIZE, 4096, null);
            assertThat(c.readReply(0).error()).as("zeroes past end").isEqualTo(NbdProtocol.ENOSPC);
            c.request(0, NbdProtocol.CMD_TRIM, 3, SIZE, 4096, null);
            assertThat(c.readReply(0).error()).as("trim past end").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, 99, 4, 0, 0, null);
            assertThat(c.readReply(0).error()).as("unknown command").isEqualTo(NbdProtocol.EINVAL);
            c.request(NbdProtocol.CMD_FLAG_NO_HOLE, NbdProtocol.CMD_READ, 5, 0, 512, null);
            assertThat(c.readReply(512).error()).as("NO_HOLE on READ").isEqualTo(NbdProtocol.EINVAL);
            c.request(0x40, NbdProtocol.CMD_FLUSH, 6, 0, 0, null);
            assertThat(c.readReply(0).error()).as("unknown flag").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_FLUSH, 7, 4096, 0, null);
            assertThat(c.readReply(0).error()).as("FLUSH with offset").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 8, 0, 0, null);
            assertThat(c.readReply(0).error()).as("zero-length READ").isEqualTo(NbdProtocol.EINVAL);
            c.request(NbdProtocol.CMD_FLAG_DF, NbdProtocol.CMD_READ, 9, 0, 512, null);
            assertThat(c.readReply(512).error()).as("DF without structured replies").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_BLOCK_STATUS, 10, 0, 4096, null);
            assertThat(c.readReply(0).error()).as("BLOCK_STATUS without context").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 11, 0, (32 << 20) + 4096, null);
            assertThat(c.readReply(0).error()).as("READ above the maximum").isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_CACHE, 12, 0, 1 << 20, null);
            assertThat(c.readReply(0).error()).as("CACHE").isZero();
            assertThat(device.caches.get()).isEqualTo(1);
            c.request(0, NbdProtocol.CMD_READ, 13, 0, 512, null);
            assertThat(c.readReply(512).error()).isZero();
        }
    }

    @Test
    void shouldRefuseWritesOnReadOnlyExportsWithEperm() throws IOException {
        try (SocketClient c = client("ro", true, false)) {
            assertThat(c.transmissionFlags & NbdProtocol.TFLAG_READ_ONLY).isNotZero();
            c.request(0, NbdProtocol.CMD_WRITE, 1, 0, 4096, new byte[4096]);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EPERM);
            c.request(0, NbdProtocol.CMD_TRIM, 2, 0, 4096, null);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EPERM);
            c.request(0, NbdProtocol.CMD_WRITE_ZEROES, 3, 0, 4096, null);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EPERM);
            c.request(0, NbdProtocol.CMD_READ, 4, 0, 4096, null);
            assertThat(c.readReply(0).chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_OFFSET_DATA);
        }
        assertThat(readOnlyDevice.snapshot(0, 4096)).isEqualTo(new byte[4096]);
    }

    @Test
    void shouldDiscardAnOversizedWritePayloadAndStayInSync() throws IOException {
        try (SocketClient c = client("r0", false, false)) {
            int length = (32 << 20) + 4096;
            c.send(ClientWire.request(0, NbdProtocol.CMD_WRITE, 1, 0, length, null));
            byte[] piece = new byte[1 << 20];
            java.util.Arrays.fill(piece, (byte) 0x5a);
            for (int sent = 0; sent < length; sent += piece.length) {
                c.send(Unpooled.wrappedBuffer(piece, 0, Math.min(piece.length, length - sent)));
            }
            Reply refused = c.readReply(0);
            assertThat(refused.cookie()).isEqualTo(1);
            assertThat(refused.error()).isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 2, 0, 4096, null);
            Reply read = c.readReply(4096);
            assertThat(read.error()).isZero();
            assertThat(read.payload()).as("nothing of the refused write landed").isEqualTo(new byte[4096]);
        }
    }

    @Test
    void shouldReportHolesAfterTrimThroughBlockStatus() throws IOException {
        device.fill(0, random(1 << 20, 3));
        try (SocketClient c = client("r0", true, true)) {
            c.request(0, NbdProtocol.CMD_TRIM, 1, 256 << 10, 256 << 10, null);
            assertThat(c.readReply(0).error()).isZero();
            c.request(0, NbdProtocol.CMD_BLOCK_STATUS, 2, 0, 2 << 20, null);
            Reply status = c.readReply(0);
            assertThat(status.chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_BLOCK_STATUS);
            assertThat(status.done()).isTrue();
            ByteBuf payload = Unpooled.wrappedBuffer(status.payload());
            assertThat(payload.readInt()).isEqualTo(OptionNegotiation.BASE_ALLOCATION_ID);
            List<long[]> extents = new ArrayList<>();
            while (payload.isReadable()) {
                extents.add(new long[] {payload.readUnsignedInt(), payload.readInt()});
            }
            assertThat(extents).containsExactly(new long[] {256 << 10, 0}, new long[] {256 << 10, 3},
                    new long[] {512 << 10, 0}, new long[] {1 << 20, 3});

            c.request(NbdProtocol.CMD_FLAG_REQ_ONE, NbdProtocol.CMD_BLOCK_STATUS, 3, 0, 100_000, null);
            ByteBuf one = Unpooled.wrappedBuffer(c.readReply(0).payload());
            assertThat(one.readableBytes()).as("exactly one extent").isEqualTo(12);
            assertThat(one.getUnsignedInt(4)).as("not longer than asked").isEqualTo(100_000);

            c.request(0, NbdProtocol.CMD_BLOCK_STATUS, 4, SIZE, 512, null);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EINVAL);
        }
    }

    @Test
    void shouldZeroWithAndWithoutHolesAndRefuseSlowFastZero() throws IOException {
        TestDevice slow = new TestDevice(SIZE, new Capabilities(false, true, true, true, false, false, false, true));
        server.addExport(NbdExport.of("slow", slow));
        slow.fill(0, random(8192, 4));
        try (SocketClient c = client("slow", false, false)) {
            assertThat(c.transmissionFlags & NbdProtocol.TFLAG_SEND_FAST_ZERO).isNotZero();
            c.request(NbdProtocol.CMD_FLAG_FAST_ZERO, NbdProtocol.CMD_WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.ENOTSUP);
            assertThat(slow.snapshot(0, 4096)).as("data untouched")
                    .isEqualTo(java.util.Arrays.copyOf(random(8192, 4), 4096));
            c.request(NbdProtocol.CMD_FLAG_NO_HOLE, NbdProtocol.CMD_WRITE_ZEROES, 2, 0, 8192, null);
            assertThat(c.readReply(0).error()).isZero();
            assertThat(slow.snapshot(0, 8192)).isEqualTo(new byte[8192]);
        }
    }

    @Test
    void shouldReportDeviceReadErrorsWithTheirOffset() throws IOException {
        device.failReadsAt(12288);
        try (SocketClient c = client("r0", true, false)) {
            c.request(0, NbdProtocol.CMD_READ, 1, 8192, 8192, null);
            Reply error = c.readReply(0);
            assertThat(error.chunkType()).isEqualTo(NbdProtocol.REPLY_TYPE_ERROR_OFFSET);
            assertThat(error.error()).isEqualTo(NbdProtocol.EIO);
            ByteBuf payload = Unpooled.wrappedBuffer(error.payload());
            int messageLength = payload.getUnsignedShort(4);
            assertThat(payload.getLong(6 + messageLength)).isEqualTo(12288);
        }
    }

    @Test
    void shouldRefuseMisalignedRequestsWhenAMinimumBlockSizeIsSet() throws IOException {
        try (SocketClient c = client("aligned", false, false)) {
            c.request(0, NbdProtocol.CMD_READ, 1, 100, 512, null);
            assertThat(c.readReply(512).error()).isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_WRITE, 2, 512, 100, new byte[100]);
            assertThat(c.readReply(0).error()).isEqualTo(NbdProtocol.EINVAL);
            c.request(0, NbdProtocol.CMD_READ, 3, 512, 1024, null);
            assertThat(c.readReply(1024).error()).isZero();
        }
    }

    @Test
    void shouldFinishInFlightRequestsOnDiscThenClose() throws IOException {
        completer = Executors.newSingleThreadExecutor();
        device.completeOn(command -> completer.execute(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            command.run();
        }));
        try (SocketClient c = client("r0", false, false)) {
            c.request(0, NbdProtocol.CMD_WRITE, 1, 0, 4096, random(4096, 5));
            c.request(0, NbdProtocol.CMD_DISC, 2, 0, 0, null);
            Reply written = c.readReply(0);
            assertThat(written.cookie()).isEqualTo(1);
            assertThat(written.error()).isZero();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(device.snapshot(0, 4096)).isEqualTo(random(4096, 5));
    }

    @Test
    void shouldCloseOnlyTheConnectionWithABadMagic() throws IOException {
        try (SocketClient good = client("r0", false, false); SocketClient bad = client("r0", false, false)) {
            bad.send(Unpooled.buffer().writeInt(0xdeadbeef).writeZero(24));
            assertThat(bad.closedByServer()).isTrue();
            good.request(0, NbdProtocol.CMD_READ, 1, 0, 512, null);
            assertThat(good.readReply(512).error()).isZero();
        }
    }

    @Test
    void shouldDisconnectClientsOfARemovedExportAndTellTheListener() throws IOException {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.addExport(NbdExport.of("tmp", new TestDevice(SIZE)).withAccessListener(new ExportAccessListener() {
            @Override
            public java.util.concurrent.CompletionStage<AccessDecision> onOpen(ExportSession session) {
                events.add("open");
                return java.util.concurrent.CompletableFuture.completedFuture(AccessDecision.ALLOW);
            }

            @Override
            public void onClose(ExportSession session) {
                events.add("close");
            }
        }));
        try (SocketClient c = client("tmp", false, false)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
            assertThat(server.removeExport("tmp")).isPresent();
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("open", "close");
        try (SocketClient c = new SocketClient(server.port())) {
            c.send(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData("tmp")));
            assertThat(c.readOptionReply().type()).isEqualTo(NbdProtocol.REP_ERR_UNKNOWN);
        }
    }

    @Test
    void shouldServeTheDefaultExportUnderTheEmptyName() throws IOException {
        server.exports().setDefaultExportName("r0");
        device.fill(0, random(512, 6));
        try (SocketClient c = client("", false, false)) {
            assertThat(c.exportSize).isEqualTo(SIZE);
            c.request(0, NbdProtocol.CMD_READ, 1, 0, 512, null);
            assertThat(c.readReply(512).payload()).isEqualTo(random(512, 6));
        }
    }
}
