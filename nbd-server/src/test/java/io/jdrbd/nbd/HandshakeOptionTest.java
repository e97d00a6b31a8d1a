package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.nbd.ClientWire.OptionReply;
import io.jdrbd.nbd.ExportAccessListener.AccessDecision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeOptionTest {
    private static final int SIZE = 1 << 20;

    private final ExportRegistry exports = new ExportRegistry();
    private final TestDevice device = new TestDevice(SIZE);
    private EmbeddedNbd nbd;

    HandshakeOptionTest() {
        exports.add(NbdExport.of("r0", device).withDescription("first disk"));
        exports.add(NbdExport.of("ro", new TestDevice(SIZE)).withReadOnly(true));
        exports.setDefaultExportName("r0");
    }

    @AfterEach
    void tearDown() {
        if (nbd != null) {
            nbd.close();
        }
    }

    private EmbeddedNbd connect() {
        nbd = new EmbeddedNbd(exports, EmbeddedNbd.config());
        return nbd;
    }

    @Test
    void shouldGreetWithFixedNewstyleAndNoZeroes() {
        connect().expectGreeting();
        assertThat(nbd.output.readableBytes()).isZero();
    }

    @Test
    void shouldCloseOnUnknownClientFlags() {
        connect().expectGreeting();
        nbd.send(ClientWire.clientFlags(0x4 | 1));
        assertThat(nbd.closed()).isTrue();
    }

    @Test
    void shouldListExportsThenAck() {
        connect().newstyle();
        nbd.send(ClientWire.option(NbdProtocol.OPT_LIST, new byte[0]));
        List<String> names = new ArrayList<>();
        OptionReply reply;
        while ((reply = nbd.nextOptionReply()).type() == NbdProtocol.REP_SERVER) {
            ByteBuf data = Unpooled.wrappedBuffer(reply.data());
            int length = data.readInt();
            names.add(data.readCharSequence(length, StandardCharsets.UTF_8).toString());
        }
        assertThat(reply.type()).isEqualTo(NbdProtocol.REP_ACK);
        assertThat(names).containsExactly("r0", "ro");
    }

    @Test
    void shouldRefuseListWithData() {
        connect().newstyle();
        assertThat(nbd.option(NbdProtocol.OPT_LIST, new byte[] {1}).type()).isEqualTo(NbdProtocol.REP_ERR_INVALID);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldAckAbortThenClose() {
        connect().newstyle();
        OptionReply reply = nbd.option(NbdProtocol.OPT_ABORT, new byte[0]);
        assertThat(reply.type()).isEqualTo(NbdProtocol.REP_ACK);
        assertThat(reply.option()).isEqualTo(NbdProtocol.OPT_ABORT);
        assertThat(nbd.closed()).isTrue();
    }

    @Test
    void shouldAnswerUnknownOptionsWithUnsupAndStayInSync() {
        connect().newstyle();
        OptionReply peek = nbd.option(4, new byte[] {0, 0, 0, 2, 'r', '0'});
        assertThat(peek.type()).isEqualTo(NbdProtocol.REP_ERR_UNSUP);
        assertThat(nbd.option(0x7fff_0000, new byte[100]).type()).isEqualTo(NbdProtocol.REP_ERR_UNSUP);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldAckStructuredReplyAlsoWhenRepeatedAndRefuseData() {
        connect().newstyle();
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[4]).type())
                .isEqualTo(NbdProtocol.REP_ERR_INVALID);
    }

    @Test
    void shouldAnswerInfoWithExportNameDescriptionAndBlockSize() {
        connect().newstyle();
        nbd.send(ClientWire.option(NbdProtocol.OPT_INFO, ClientWire.infoData("", NbdProtocol.INFO_NAME,
                NbdProtocol.INFO_DESCRIPTION, NbdProtocol.INFO_BLOCK_SIZE, 0x7777)));
        ByteBuf export = info(nbd.nextOptionReply(), NbdProtocol.INFO_EXPORT);
        assertThat(export.readLong()).isEqualTo(SIZE);
        int flags = export.readUnsignedShort();
        assertThat(flags & NbdProtocol.TFLAG_HAS_FLAGS).isNotZero();
        assertThat(flags & NbdProtocol.TFLAG_READ_ONLY).isZero();
        assertThat(flags & NbdProtocol.TFLAG_SEND_DF).as("no DF without structured replies").isZero();
        assertThat(flags & NbdProtocol.TFLAG_CAN_MULTI_CONN).as("device does not promise multi-conn").isZero();
        assertThat(text(info(nbd.nextOptionReply(), NbdProtocol.INFO_NAME))).isEqualTo("r0");
        assertThat(text(info(nbd.nextOptionReply(), NbdProtocol.INFO_DESCRIPTION))).isEqualTo("first disk");
        ByteBuf blockSize = info(nbd.nextOptionReply(), NbdProtocol.INFO_BLOCK_SIZE);
        assertThat(blockSize.readInt()).isEqualTo(1);
        assertThat(blockSize.readInt()).isEqualTo(4096);
        assertThat(blockSize.readInt()).isEqualTo(32 << 20);
        assertThat(nbd.nextOptionReply().type()).isEqualTo(NbdProtocol.REP_ACK);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type())
                .as("INFO stays in haggling").isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldAdvertiseReadOnlyAndDfPerConnection() {
        connect().newstyle();
        int flags = nbd.go("ro", true);
        assertThat(flags & NbdProtocol.TFLAG_READ_ONLY).isNotZero();
        assertThat(flags & NbdProtocol.TFLAG_SEND_DF).isNotZero();
        assertThat(flags & NbdProtocol.TFLAG_SEND_TRIM).isZero();
        assertThat(flags & NbdProtocol.TFLAG_SEND_WRITE_ZEROES).isZero();
    }

    @Test
    void shouldAdvertiseMultiConnOnlyWhenTheDevicePromisesIt() {
        exports.add(NbdExport.of("mc", new TestDevice(SIZE,
                new Capabilities(false, true, true, true, true, true, true, true))));
        connect().newstyle();
        assertThat(nbd.go("mc", false) & NbdProtocol.TFLAG_CAN_MULTI_CONN).isNotZero();
    }

    @Test
    void shouldAnswerUnknownExportWithErrUnknown() {
        connect().newstyle();
        assertThat(nbd.option(NbdProtocol.OPT_INFO, ClientWire.infoData("zz")).type())
                .isEqualTo(NbdProtocol.REP_ERR_UNKNOWN);
        assertThat(nbd.option(NbdProtocol.OPT_GO, ClientWire.infoData("zz")).type())
                .isEqualTo(NbdProtocol.REP_ERR_UNKNOWN);
        assertThat(nbd.closed()).isFalse();
    }

    @Test
    void shouldRefuseMalformedInfoLengths() {
        connect().newstyle();
        byte[][] bad = {
            new byte[0],
            new byte[5],
            {0, 0, 0, 9, 'r', '0', 0, 0},          // name length beyond the data
            {0, 0, 0, 2, 'r', '0', 0, 2, 0, 1},    // two info requests announced, one present
            {0, 0, 0, 2, 'r', '0', 0, 0, 0},       // a trailing byte
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0},
        };
        for (byte[] data : bad) {
            assertThat(nbd.option(NbdProtocol.OPT_GO, data).type()).as("GO with %d bytes", data.length)
                    .isEqualTo(NbdProtocol.REP_ERR_INVALID);
        }
        assertThat(nbd.go("r0", false)).isPositive();
    }

    @Test
    void shouldSendExportNameReplyWithAndWithoutZeroes() {
        connect().newstyle();
        nbd.send(ClientWire.option(NbdProtocol.OPT_EXPORT_NAME, "r0".getBytes(StandardCharsets.UTF_8)));
        assertThat(nbd.output.readableBytes()).isEqualTo(10);
        assertThat(nbd.output.readLong()).isEqualTo(SIZE);
        nbd.close();

        connect().expectGreeting();
        nbd.send(ClientWire.clientFlags(1));
        nbd.send(ClientWire.option(NbdProtocol.OPT_EXPORT_NAME, new byte[0]));
        assertThat(nbd.output.readableBytes()).isEqualTo(134);
    }

    @Test
    void shouldCloseOnExportNameOfUnknownExport() {
        connect().newstyle();
        nbd.send(ClientWire.option(NbdProtocol.OPT_EXPORT_NAME, "zz".getBytes(StandardCharsets.UTF_8)));
        assertThat(nbd.closed()).isTrue();
        assertThat(nbd.output.readableBytes()).isZero();
    }

    @Test
    void shouldAllowOnlyExportNameWithoutFixedNewstyle() {
        connect().expectGreeting();
        nbd.send(ClientWire.clientFlags(0));
        assertThat(nbd.option(NbdProtocol.OPT_LIST, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ERR_INVALID);
        nbd.send(ClientWire.option(NbdProtocol.OPT_EXPORT_NAME, "r0".getBytes(StandardCharsets.UTF_8)));
        assertThat(nbd.output.readableBytes()).isEqualTo(134);
    }

    @Test
    void shouldListBaseAllocationForEmptyQueriesAndWildcard() {
        connect().newstyle();
        for (String[] queries : new String[][] {{}, {"base:"}, {"qemu:dirty-bitmap:x", "base:allocation"}}) {
            nbd.send(ClientWire.option(NbdProtocol.OPT_LIST_META_CONTEXT, ClientWire.metaData("r0", queries)));
            OptionReply context = nbd.nextOptionReply();
            assertThat(context.type()).isEqualTo(NbdProtocol.REP_META_CONTEXT);
            ByteBuf data = Unpooled.wrappedBuffer(context.data());
            assertThat(data.readInt()).isZero();
            assertThat(text(data)).isEqualTo("base:allocation");
            assertThat(nbd.nextOptionReply().type()).isEqualTo(NbdProtocol.REP_ACK);
        }
        nbd.send(ClientWire.option(NbdProtocol.OPT_LIST_META_CONTEXT, ClientWire.metaData("r0", "x-other:thing")));
        assertThat(nbd.nextOptionReply().type()).as("unknown namespaces are ignored").isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldRefuseSetMetaContextBeforeStructuredReplies() {
        connect().newstyle();
        assertThat(nbd.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData("r0", "base:allocation"))
                .type()).isEqualTo(NbdProtocol.REP_ERR_INVALID);
    }

    @Test
    void shouldSelectBaseAllocationButIgnoreTheWildcardOnSet() {
        connect().newstyle();
        nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]);
        assertThat(nbd.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData("r0", "base:")).type())
                .isEqualTo(NbdProtocol.REP_ACK);
        nbd.send(ClientWire.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData("r0", "base:allocation")));
        OptionReply selected = nbd.nextOptionReply();
        assertThat(selected.type()).isEqualTo(NbdProtocol.REP_META_CONTEXT);
        assertThat(Unpooled.wrappedBuffer(selected.data()).getInt(0)).isEqualTo(OptionNegotiation.BASE_ALLOCATION_ID);
        assertThat(nbd.nextOptionReply().type()).isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldRefuseMetaContextForUnknownExportOrMalformedData() {
        connect().newstyle();
        nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]);
        assertThat(nbd.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData("zz", "base:allocation"))
                .type()).isEqualTo(NbdProtocol.REP_ERR_UNKNOWN);
        byte[] cut = ClientWire.metaData("r0", "base:allocation");
        byte[] truncated = java.util.Arrays.copyOf(cut, cut.length - 3);
        assertThat(nbd.option(NbdProtocol.OPT_LIST_META_CONTEXT, truncated).type())
                .isEqualTo(NbdProtocol.REP_ERR_INVALID);
        byte[] hugeCount = {0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(nbd.option(NbdProtocol.OPT_SET_META_CONTEXT, hugeCount).type())
                .isEqualTo(NbdProtocol.REP_ERR_INVALID);
    }

    @Test
    void shouldRefuseStartTlsWhenNotConfiguredOrWithData() {
        connect().newstyle();
        assertThat(nbd.option(NbdProtocol.OPT_STARTTLS, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ERR_POLICY);
        assertThat(nbd.option(NbdProtocol.OPT_STARTTLS, new byte[2]).type()).isEqualTo(NbdProtocol.REP_ERR_INVALID);
    }

    @Test
    void shouldAnswerOverlongOptionDataWithTooBigAndStayInSync() {
        connect().newstyle();
        int length = HandshakeDecoder.DEFAULT_MAX_OPTION_DATA_BYTES + 1;
        ByteBuf header = Unpooled.buffer().writeLong(NbdProtocol.IHAVEOPT).writeInt(NbdProtocol.OPT_INFO)
                .writeInt(length);
        nbd.send(header);
        for (int sent = 0; sent < length; sent += 8192) {
            nbd.send(Unpooled.wrappedBuffer(new byte[Math.min(8192, length - sent)]));
        }
        assertThat(nbd.nextOptionReply().type()).isEqualTo(NbdProtocol.REP_ERR_TOO_BIG);
        assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
    }

    @Test
    void shouldCloseOnHostileOptionLengthOrBadMagic() {
        connect().newstyle();
        nbd.send(Unpooled.buffer().writeLong(NbdProtocol.IHAVEOPT).writeInt(NbdProtocol.OPT_GO).writeInt(-1));
        assertThat(nbd.closed()).isTrue();
        nbd.close();

        connect().newstyle();
        nbd.send(Unpooled.buffer().writeLong(0x1234).writeInt(NbdProtocol.OPT_GO).writeInt(0));
        assertThat(nbd.closed()).isTrue();
    }

    @Test
    void shouldCloseAfterTooManyOptions() {
        connect().newstyle();
        for (int i = 0; i < 256; i++) {
            assertThat(nbd.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
        }
        nbd.send(ClientWire.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]));
        assertThat(nbd.closed()).isTrue();
    }

    @Test
    void shouldSurfaceAnAccessRefusalAsPolicyErrorAndKeepHaggling() {
        List<String> events = new ArrayList<>();
        CompletableFuture<AccessDecision> pending = new CompletableFuture<>();
        exports.add(NbdExport.of("guarded", new TestDevice(SIZE)).withAccessListener(new ExportAccessListener() {
            @Override
            public CompletionStage<AccessDecision> onOpen(ExportSession session) {
                events.add("open " + session.exportName() + " writable=" + session.writable());
                return events.size() == 1 ? CompletableFuture.completedFuture(AccessDecision.refuse("Secondary"))
                        : pending;
            }

            @Override
            public void onClose(ExportSession session) {
                events.add("close " + session.exportName());
            }
        }));
        connect().newstyle();
        OptionReply refused = nbd.option(NbdProtocol.OPT_GO, ClientWire.infoData("guarded"));
        assertThat(refused.type()).isEqualTo(NbdProtocol.REP_ERR_POLICY);
        assertThat(refused.text()).contains("Secondary");

        nbd.send(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData("guarded")));
        assertThat(nbd.output.readableBytes()).as("GO waits for the listener").isZero();
        pending.complete(AccessDecision.ALLOW);
        nbd.channel.runPendingTasks();
        nbd.drain();
        assertThat(nbd.nextOptionReply().type()).isEqualTo(NbdProtocol.REP_INFO);
        nbd.channel.close();
        assertThat(events).containsExactly("open guarded writable=true", "open guarded writable=true",
                "close guarded");
    }

    private static ByteBuf info(OptionReply reply, int expectedType) {
        assertThat(reply.type()).as("reply type of %s", reply.text()).isEqualTo(NbdProtocol.REP_INFO);
        ByteBuf data = Unpooled.wrappedBuffer(reply.data());
        assertThat(data.readUnsignedShort()).isEqualTo(expectedType);
        return data;
    }

    private static String text(ByteBuf data) {
        return data.readCharSequence(data.readableBytes(), StandardCharsets.UTF_8).toString();
    }
}
