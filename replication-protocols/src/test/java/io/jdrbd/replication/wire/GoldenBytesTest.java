package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors written by hand from the layouts of the wire reference (Appendix A, verified there
 * against Wireshark's dissector): a wrong byte order, offset or header choice fails here.
 */
class GoldenBytesTest {

    private static final long BLOCK_ID_BYTES_11_TO_88 = 0x8877665544332211L;

    private static String zeros(int count) {
        return "00".repeat(count);
    }

    private static void assertEncodesTo(Packet packet, String expectedHex) throws ProtocolException {
        byte[] bytes = WireTestSupport.encode(packet);
        assertThat(WireTestSupport.hex(bytes)).isEqualTo(expectedHex.replace(" ", ""));
        List<Packet> decoded = new ArrayList<>();
        new FrameDecoder(null).decode(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(expectedHex.replace(" ", ""))),
                decoded::add);
        try {
            assertThat(decoded).containsExactly(packet);
        } finally {
            WireTestSupport.release(decoded);
        }
    }

    @Test
    void initialPacketsAreH80WithLengthZero() throws ProtocolException {
        assertEncodesTo(InitialPacket.DATA, "83740267 fff2 0000");
        assertEncodesTo(InitialPacket.META, "83740267 fff1 0000");
    }

    @Test
    void connectionFeaturesAreH80With72Bytes() throws ProtocolException {
        assertEncodesTo(new ConnectionFeatures(86, 0x3FF, 124, 0, 1),
                "83740267 fffe 0048" + "00000056 000003ff 0000007c 00000000 00000001" + zeros(52));
    }

    @Test
    void pingIsAnEmptyH100PacketOfTheConnection() throws ProtocolException {
        assertEncodesTo(EmptyPacket.PING, "8620ec20 ffff 0013 00000000 00000000");
        assertEncodesTo(EmptyPacket.DISCONNECT, "8620ec20 ffff 004b 00000000 00000000");
    }

    @Test
    void protocolCarriesTheIntegrityAlgorithmWithItsNul() throws ProtocolException {
        assertEncodesTo(new ProtocolPacket(PacketType.P_PROTOCOL, ProtocolPacket.PROTOCOL_C, 0, 0, 0, 0, false, ""),
                "8620ec20 ffff 000b 00000019 00000000" + "00000003" + zeros(20) + "00");
        assertEncodesTo(new ProtocolPacket(PacketType.P_PROTOCOL, ProtocolPacket.PROTOCOL_A, 3, 0, 5, 1, true, "md5"),
                "8620ec20 ffff 000b 0000001c 00000000"
                        + "00000001 00000003 00000000 00000005 00000001 00000001 6d643500");
    }

    @Test
    void stateWordHasTheBitPositionsOfUnionDrbdState() throws ProtocolException {
        DrbdState state = DrbdState.of(Role.SECONDARY, Role.UNKNOWN, ConnState.CONNECTED, DiskState.NEGOTIATING,
                DiskState.DUNKNOWN);
        assertThat(state.word()).isEqualTo(0x0000E892);
        assertEncodesTo(new StatePacket(0, state), "8620ec20 0000 000e 00000004 00000000 0000e892");
        DrbdState primary = DrbdState.of(Role.PRIMARY, Role.SECONDARY, ConnState.ESTABLISHED, DiskState.UP_TO_DATE,
                DiskState.UP_TO_DATE).with(StateField.QUORUM, true);
        assertThat(primary.word()).isEqualTo(0x008132A9);
    }

    @Test
    void dataHeaderPrecedesTheBlockAndBlockIdKeepsItsBytes() throws ProtocolException {
        byte[] block = new byte[4096];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        DataPacket data = DataPacket.write(0, 8, BLOCK_ID_BYTES_11_TO_88, 1,
                DpFlags.DP_RW_SYNC | DpFlags.DP_SEND_WRITE_ACK, Unpooled.wrappedBuffer(block));
        assertEncodesTo(data, "8620ec20 0000 0000 00001018 00000000"
                + "0000000000000008 1122334455667788 00000001 00000102" + ByteBufUtil.hexDump(block));
        data.release();
    }

    @Test
    void writeAckEchoesSectorBlockIdAndSize() throws ProtocolException {
        assertEncodesTo(new BlockAck(PacketType.P_WRITE_ACK, 0, 8, BLOCK_ID_BYTES_11_TO_88, 4096, 1),
                "8620ec20 0000 0016 00000018 00000000"
                        + "0000000000000008 1122334455667788 00001000 00000001");
    }

    @Test
    void barrierNumbersAreOpaqueLittleEndian() throws ProtocolException {
        assertEncodesTo(new BarrierPacket(7), "8620ec20 ffff 0003 00000008 00000000 07000000 00000000");
        assertEncodesTo(new BarrierAckPacket(7, 1), "8620ec20 ffff 001c 00000008 00000000 07000000 00000001");
    }

    @Test
    void peerAckCarriesMaskAndDagtag() throws ProtocolException {
        assertEncodesTo(new PeerAckPacket(3, 8),
                "8620ec20 ffff 0040 00000010 00000000 0000000000000003 0000000000000008");
    }

    @Test
    void zeroesCarryTheRangeSizeAndNoData() throws ProtocolException {
        assertEncodesTo(new TrimPacket(PacketType.P_ZEROES, 0, 16, BLOCK_ID_BYTES_11_TO_88, 2,
                        DpFlags.DP_DISCARD | DpFlags.DP_SEND_WRITE_ACK | DpFlags.DP_ZEROES, 1 << 20),
                "8620ec20 0000 0036 0000001c 00000000"
                        + "0000000000000010 1122334455667788 00000002 00000540 00100000");
    }

    @Test
    void compressedBitmapKeepsEncodingByteAndCode() throws ProtocolException {
        CompressedBitmapPacket packet = new CompressedBitmapPacket(0, 0x42, new byte[] {(byte) 0x97, (byte) 0xCB,
            (byte) 0xF7, 0x01});
        assertThat(packet.encodingKind()).isEqualTo(CompressedBitmapPacket.RLE_VLI_BITS);
        assertThat(packet.padBits()).isEqualTo(4);
        assertThat(packet.firstRunSet()).isFalse();
        assertEncodesTo(packet, "8620ec20 0000 0024 00000005 00000000 4297cbf701");
    }

    @Test
    void twopcPrepareV2PacksFlagsAndEightBitNodeIds() throws ProtocolException {
        DrbdState mask = DrbdState.maskOf(StateField.CONN, StateField.ROLE);
        DrbdState val = DrbdState.ZERO.with(StateField.CONN, ConnState.CONNECTED.code())
                .with(StateField.ROLE, Role.SECONDARY.code());
        assertThat(mask.word()).isEqualTo(0x1F3);
        TwopcRequest prepare = TwopcRequest.prepare(Header.CONNECTION_VOLUME, 0x12345678,
                TwopcRequest.TWOPC_HAS_FLAGS | TwopcRequest.TWOPC_HAS_REACHABLE, 0, 1, ~3L, mask, val);
        assertEncodesTo(prepare, "8620ec20 ffff 002e 00000024 00000000"
                + "12345678 c0000000 0000 00 01 fffffffffffffffc" + zeros(8) + "000001f3 00000092");
    }

    @Test
    void twopcV1WritesFullWidthNodeIdsAndAllNodesAsMinusOne() throws ProtocolException {
        TwopcRequest promote = TwopcRequest.prepare(Header.CONNECTION_VOLUME, 9, 0, 2, TwopcRequest.ALL_NODES, 0,
                DrbdState.maskOf(StateField.ROLE), DrbdState.ZERO.with(StateField.ROLE, Role.PRIMARY.code()));
        assertEncodesTo(promote, "8620ec20 ffff 002e 00000024 00000000"
                + "00000009 00000002 ffffffff 0000000000000000 0000000000000000 00000003 00000001");
    }

    @Test
    void twopcYesListsReachableNodes() throws ProtocolException {
        assertEncodesTo(new TwopcReply(PacketType.P_TWOPC_YES, Header.CONNECTION_VOLUME, 0x12345678, 0, 3, 0, 0),
                "8620ec20 ffff 0045 00000020 00000000 12345678 00000000 0000000000000003" + zeros(16));
    }

    @Test
    void sizesWithQueueLimitsAre56Bytes() throws ProtocolException {
        SizesPacket sizes = new SizesPacket(1, 2048, 0, 2048, 1 << 20, 0, 0,
                new QueueLimits(512, 512, 0, 512, 0, 1, 0, 0, 0));
        assertEncodesTo(sizes, "8620ec20 0001 000d 00000038 00000000"
                + "0000000000000800 0000000000000000 0000000000000800 00100000 0000 0000"
                + "00000200 00000200 00000000 00000200 00000000 01 00 00 00");
    }

    @Test
    void uuids110ListsBitmapUuidsByMaskThenHistory() throws ProtocolException {
        Uuids110Packet uuids = new Uuids110Packet(0, 0x1111, 5, UuidFlags.UUID_FLAG_STABLE, 0, 0b10,
                new long[] {0x2222}, new long[] {0x3333, 0x4444});
        assertThat(uuids.bitmapUuidOf(1)).isEqualTo(0x2222);
        assertThat(uuids.bitmapUuidOf(0)).isEqualTo(-1L);
        assertEncodesTo(uuids, "8620ec20 0000 0042 00000040 00000000"
                + "0000000000001111 0000000000000005 0000000000000020 0000000000000000 0000000000000002"
                + "0000000000002222 0000000000003333 0000000000004444");
    }

    @Test
    void ovResultIdsAreTheByteSwappedBigEndianNumbers() throws ProtocolException {
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(Header.DRBD_MAGIC_100).writeShort(0).writeShort(PacketType.P_OV_RESULT.code()).writeInt(24)
                .writeInt(0).writeLong(0).writeLong(4711).writeInt(4096).writeInt(1);
        List<Packet> decoded = new ArrayList<>();
        new FrameDecoder(null).decode(wire, decoded::add);
        assertThat(((BlockAck) decoded.get(0)).blockId()).isEqualTo(BlockAck.ID_IN_SYNC);
    }
}
