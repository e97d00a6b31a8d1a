package io.jdrbd.replication.wire;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The packets of a two-node DRBD 9 session in the order DRBD sends them (wire reference §3.1): node L
 * (id 0) connects both sockets to node H (id 1), features, cram-hmac-sha256, protocol C, the connect
 * transaction with the initial packets, L becomes Primary and writes (three P_DATA, a P_ZEROES), a
 * barrier, H acks each write and the epoch, L sends a peer ack, a ping, and an administrative disconnect.
 */
final class ReplicationSessionScript {

    enum Side { L, H }

    record Step(Side from, Stream stream, Packet packet) {
    }

    static final int NODE_L = 0;
    static final int NODE_H = 1;
    static final long DEVICE_SECTORS = 2 * 1024 * 1024;
    static final long UUID_L = 0x7A3C_E8B0_1F2D_4C61L;
    static final long BLOCK_ID_BASE = 0xFFFF_8881_0A2B_3C00L;
    static final int EPOCH = 0x2A;
    static final String SECRET = "jdrbd-wire-test";
    static final int FEATURES = FeatureFlags.DRBD_FF_TRIM | FeatureFlags.DRBD_FF_THIN_RESYNC
            | FeatureFlags.DRBD_FF_WSAME | FeatureFlags.DRBD_FF_WZEROES;

    private final List<Step> steps = new ArrayList<>();
    private final Random random = new Random(20261122L);

    private ReplicationSessionScript() {
    }

    static List<Step> build() throws GeneralSecurityException {
        ReplicationSessionScript script = new ReplicationSessionScript();
        script.connect();
        script.writes();
        script.disconnect();
        return script.steps;
    }

    private void send(Side from, Stream stream, Packet packet) {
        steps.add(new Step(from, stream, packet));
    }

    private void connect() throws GeneralSecurityException {
        send(Side.L, Stream.DATA, InitialPacket.DATA);
        send(Side.L, Stream.META, InitialPacket.META);
        send(Side.L, Stream.DATA, new ConnectionFeatures(118, FEATURES, 122, NODE_L, NODE_H));
        send(Side.H, Stream.DATA, new ConnectionFeatures(118, FEATURES, 122, NODE_H, NODE_L));
        byte[] challengeL = nonce();
        byte[] challengeH = nonce();
        send(Side.L, Stream.DATA, new AuthChallenge(challengeL));
        send(Side.H, Stream.DATA, new AuthChallenge(challengeH));
        send(Side.L, Stream.DATA, new AuthResponse(hmac(challengeH, NODE_L)));
        send(Side.H, Stream.DATA, new AuthResponse(hmac(challengeL, NODE_H)));
        ProtocolPacket protocolC = new ProtocolPacket(PacketType.P_PROTOCOL, ProtocolPacket.PROTOCOL_C,
                AfterSbPolicy.DISCONNECT.code(), AfterSbPolicy.DISCONNECT.code(), AfterSbPolicy.DISCONNECT.code(), 0,
                false, "");
        send(Side.L, Stream.DATA, protocolC);
        send(Side.H, Stream.DATA, protocolC);
        DrbdState connMask = DrbdState.maskOf(StateField.CONN, StateField.ROLE);
        DrbdState connVal = DrbdState.ZERO.with(StateField.CONN, ConnState.CONNECTED.code())
                .with(StateField.ROLE, Role.SECONDARY.code());
        int tid = 0x5EED0001;
        send(Side.L, Stream.DATA, TwopcRequest.prepare(Header.CONNECTION_VOLUME, tid, 0, NODE_L, NODE_H, ~0b11L,
                connMask, connVal));
        initialPackets(Side.L, UUID_L);
        initialPackets(Side.H, UUID_L);
        send(Side.H, Stream.META, new TwopcReply(PacketType.P_TWOPC_YES, Header.CONNECTION_VOLUME, tid, NODE_L,
                0b11, 0, 0));
        send(Side.L, Stream.DATA, TwopcRequest.finish(PacketType.P_TWOPC_COMMIT, Header.CONNECTION_VOLUME, tid, 0,
                NODE_L, NODE_H, ~0b11L, 0, connMask, connVal));
    }

    private void initialPackets(Side side, long currentUuid) {
        send(side, Stream.DATA, new SyncParamPacket(0, 250, "", "", 20, 10, 100, 102400));
        send(side, Stream.DATA, new SizesPacket(0, DEVICE_SECTORS, 0, DEVICE_SECTORS, Limits.DRBD_MAX_BIO_SIZE, 0, 0,
                new QueueLimits(512, 512, 0, 512, 0, 1, 0, 0, 0)));
        long[] history = new long[Limits.HISTORY_UUIDS];
        history[0] = 0x1111_2222_3333_4444L;
        send(side, Stream.DATA, new Uuids110Packet(0, currentUuid, 0, UuidFlags.UUID_FLAG_STABLE, 0,
                1L << (side == Side.L ? NODE_H : NODE_L), new long[] {0}, history));
        send(side, Stream.DATA, new StatePacket(0, DrbdState.of(Role.SECONDARY, Role.UNKNOWN, ConnState.CONNECTED,
                DiskState.UP_TO_DATE, DiskState.DUNKNOWN)));
    }

    private void writes() {
        DrbdState promoteMask = DrbdState.maskOf(StateField.ROLE);
        DrbdState primary = DrbdState.ZERO.with(StateField.ROLE, Role.PRIMARY.code());
        int tid = 0x5EED0002;
        send(Side.L, Stream.DATA, TwopcRequest.prepare(Header.CONNECTION_VOLUME, tid, 0, NODE_L,
                TwopcRequest.ALL_NODES, ~0b11L, promoteMask, primary));
        send(Side.H, Stream.META, new TwopcReply(PacketType.P_TWOPC_YES, Header.CONNECTION_VOLUME, tid, NODE_L,
                0b11, 0, 0));
        send(Side.L, Stream.DATA, TwopcRequest.finish(PacketType.P_TWOPC_COMMIT, Header.CONNECTION_VOLUME, tid, 0,
                NODE_L, TwopcRequest.ALL_NODES, ~0b11L, 0b01, promoteMask, primary));
        send(Side.L, Stream.DATA, new StatePacket(0, DrbdState.of(Role.PRIMARY, Role.SECONDARY,
                ConnState.ESTABLISHED, DiskState.UP_TO_DATE, DiskState.UP_TO_DATE)));
        send(Side.L, Stream.DATA, new DagtagPacket(0));
        long[] sectors = {0, 8, 2048};
        int flags = DpFlags.DP_RW_SYNC | DpFlags.DP_SEND_WRITE_ACK;
        for (int i = 0; i < sectors.length; i++) {
            byte[] block = new byte[4096];
            random.nextBytes(block);
            send(Side.L, Stream.DATA, DataPacket.write(0, sectors[i], BLOCK_ID_BASE + i, i + 1,
                    i == 2 ? flags | DpFlags.DP_FUA : flags, Unpooled.wrappedBuffer(block)));
        }
        send(Side.L, Stream.DATA, new TrimPacket(PacketType.P_ZEROES, 0, 4096, BLOCK_ID_BASE + 3, 4,
                DpFlags.DP_ZEROES | DpFlags.DP_SEND_WRITE_ACK, 1 << 20));
        send(Side.L, Stream.DATA, new BarrierPacket(EPOCH));
        for (int i = 0; i < sectors.length; i++) {
            send(Side.H, Stream.META, new BlockAck(PacketType.P_WRITE_ACK, 0, sectors[i], BLOCK_ID_BASE + i, 4096,
                    i + 1));
        }
        send(Side.H, Stream.META, new BlockAck(PacketType.P_WRITE_ACK, 0, 4096, BLOCK_ID_BASE + 3, 1 << 20, 4));
        send(Side.H, Stream.META, new BarrierAckPacket(EPOCH, 4));
        send(Side.L, Stream.META, new PeerAckPacket(0b11, 8 + 8 + 8 + 2048));
        send(Side.L, Stream.META, EmptyPacket.PING);
        send(Side.H, Stream.META, EmptyPacket.PING_ACK);
    }

    private void disconnect() {
        DrbdState mask = DrbdState.maskOf(StateField.CONN);
        DrbdState val = DrbdState.ZERO.with(StateField.CONN, ConnState.DISCONNECTING.code());
        int tid = 0x5EED0003;
        send(Side.L, Stream.DATA, TwopcRequest.prepare(Header.CONNECTION_VOLUME, tid, 0, NODE_L, NODE_H, ~0b11L,
                mask, val));
        send(Side.H, Stream.META, new TwopcReply(PacketType.P_TWOPC_YES, Header.CONNECTION_VOLUME, tid, NODE_L,
                0b11, 0b01, 0));
        send(Side.L, Stream.DATA, TwopcRequest.finish(PacketType.P_TWOPC_COMMIT, Header.CONNECTION_VOLUME, tid, 0,
                NODE_L, NODE_H, ~0b11L, 0b01, mask, val));
    }

    private byte[] nonce() {
        byte[] nonce = new byte[Limits.CHALLENGE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** cram-hmac answer at protocol ≥ 110: HMAC(secret, peer's challenge ‖ own node id as big-endian u32). */
    private static byte[] hmac(byte[] peerChallenge, int ownNodeId) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        mac.update(peerChallenge);
        mac.update(ByteBuffer.allocate(4).putInt(ownNodeId).array());
        return mac.doFinal();
    }
}
