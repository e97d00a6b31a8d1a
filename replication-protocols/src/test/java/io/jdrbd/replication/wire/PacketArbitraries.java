package io.jdrbd.replication.wire;

import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every packet record the codec sends and accepts. */
final class PacketArbitraries {

    private PacketArbitraries() {
    }

    static Arbitrary<Packet> anyPacket() {
        return Arbitraries.oneOf(List.of(handshake(), dataPath(), resync()));
    }

    static Arbitrary<Packet> handshake() {
        return Arbitraries.oneOf(List.of(initial(), empty(), features(), authChallenge(), authResponse(), protocol(),
                sizes(), uuids(), uuids110(), syncUuid(), state(), stateChangeRequest(), stateChangeReply(),
                twopcRequest(), twopcReply(), currentUuid(), syncParam(), peerDagtag(), dagtag(), enableReplication(),
                flushRequests(), flushNode()));
    }

    static Arbitrary<Packet> dataPath() {
        return Arbitraries.oneOf(List.of(data(), trim(), blockAck(), barrier(), barrierAck(), confirmStable(),
                peerAck()));
    }

    static Arbitrary<Packet> resync() {
        return Arbitraries.oneOf(List.of(blockRequest(), resyncRequest(), blockDesc(), peersInSync(), ovResult(),
                bitmap(), compressedBitmap(), delayProbe()));
    }

    static Arbitrary<Integer> volumes() {
        return Arbitraries.integers().between(0, Header.MAX_VOLUME).edgeCases(c -> c.add(0));
    }

    static Arbitrary<Integer> volumesOrConnection() {
        return Arbitraries.integers().between(Header.CONNECTION_VOLUME, Header.MAX_VOLUME);
    }

    static Arbitrary<PacketType> typesOf(Layout layout) {
        return Arbitraries.of(PacketType.values()).filter(type -> type.layout() == layout);
    }

    private static Arbitrary<Long> longs() {
        return Arbitraries.longs();
    }

    private static Arbitrary<Integer> ints() {
        return Arbitraries.integers();
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<String> asciiNames() {
        return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(Limits.MAX_STRING_BYTES - 1);
    }

    private static Arbitrary<Integer> blksizes() {
        return Arbitraries.integers().between(1, Limits.DRBD_MAX_BIO_SIZE / Limits.SECTOR_BYTES)
                .map(sectors -> sectors * Limits.SECTOR_BYTES);
    }

    static Arbitrary<Packet> initial() {
        return Arbitraries.of(InitialPacket.DATA, InitialPacket.META);
    }

    static Arbitrary<Packet> empty() {
        return Arbitraries.of(EmptyPacket.PING, EmptyPacket.PING_ACK, EmptyPacket.UNPLUG_REMOTE,
                EmptyPacket.DISCONNECT);
    }

    static Arbitrary<Packet> features() {
        return Combinators.combine(ints(), ints(), ints(), ints(), ints()).as(ConnectionFeatures::new);
    }

    static Arbitrary<Packet> authChallenge() {
        return bytes(Limits.CHALLENGE_BYTES, Limits.CHALLENGE_BYTES).map(AuthChallenge::new);
    }

    static Arbitrary<Packet> authResponse() {
        return bytes(1, Limits.MAX_DIGEST_BYTES).map(AuthResponse::new);
    }

    static Arbitrary<Packet> protocol() {
        return Combinators.combine(typesOf(Layout.PROTOCOL), Arbitraries.integers().between(1, 3), ints(), ints(),
                ints(), ints(), Arbitraries.of(true, false), asciiNames()).as(ProtocolPacket::new);
    }

    static Arbitrary<Packet> sizes() {
        Arbitrary<QueueLimits> limits = Combinators.combine(ints(), ints(), ints(), ints(), ints(),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255)).as((a, b, c, d, e, f, g, h) -> new QueueLimits(a, b, c, d, e,
                f, g, h, (a & 7)));
        return Combinators.combine(volumes(), longs(), longs(), longs(), ints(), Arbitraries.integers()
                .between(0, 0xFFFF), Arbitraries.integers().between(0, 0xFFFF), limits.injectNull(0.5))
                .as(SizesPacket::new);
    }

    static Arbitrary<Packet> uuids() {
        return Combinators.combine(volumes(), longs(), longs(), longs(), longs(), longs(), longs())
                .as(UuidsPacket::new);
    }

    static Arbitrary<Packet> uuids110() {
        Arbitrary<Long> masks = Arbitraries.longs().between(0, 0xFFFFFFFFL);
        Arbitrary<long[]> history = Arbitraries.longs().array(long[].class).ofMaxSize(40);
        return Combinators.combine(volumes(), longs(), longs(), longs(), longs(), masks, history, longs())
                .as((volume, current, dirty, flags, nodeMask, mask, hist, seed) -> {
                    long[] bitmapUuids = new long[Long.bitCount(mask)];
                    for (int i = 0; i < bitmapUuids.length; i++) {
                        bitmapUuids[i] = seed * (i + 1);
                    }
                    return new Uuids110Packet(volume, current, dirty, flags, nodeMask, mask, bitmapUuids, hist);
                });
    }

    static Arbitrary<Packet> syncUuid() {
        return Combinators.combine(volumes(), longs()).as(SyncUuidPacket::new);
    }

    static Arbitrary<Packet> state() {
        return Combinators.combine(volumesOrConnection(), ints()).as((v, w) -> new StatePacket(v, new DrbdState(w)));
    }

    static Arbitrary<Packet> stateChangeRequest() {
        return Combinators.combine(typesOf(Layout.STATE_CHANGE_REQUEST), volumesOrConnection(), ints(), ints())
                .as((t, v, m, w) -> new StateChangeRequest(t, v, new DrbdState(m), new DrbdState(w)));
    }

    static Arbitrary<Packet> stateChangeReply() {
        return Combinators.combine(typesOf(Layout.STATE_CHANGE_REPLY), volumesOrConnection(), ints())
                .as(StateChangeReply::new);
    }

    static Arbitrary<Packet> twopcRequest() {
        Arbitrary<Integer> v2Flags = Arbitraries.integers().map(f -> f | TwopcRequest.TWOPC_HAS_FLAGS);
        Arbitrary<Integer> flags = Arbitraries.oneOf(List.of(Arbitraries.just(0), v2Flags));
        Arbitrary<Integer> nodes = Arbitraries.integers().between(0, Limits.MAX_PEERS - 1);
        Arbitrary<Integer> targets = Arbitraries.integers().between(-1, Limits.MAX_PEERS - 1);
        return Combinators.combine(typesOf(Layout.TWOPC_REQUEST), volumesOrConnection(), ints(), flags, nodes,
                targets, longs(), Arbitraries.longs().tuple2())
                .as((type, volume, tid, f, initiator, target, reach, specific) -> new TwopcRequest(type, volume, tid,
                        f, initiator, target, reach, specific.get1(), specific.get2()));
    }

    static Arbitrary<Packet> twopcReply() {
        return Combinators.combine(typesOf(Layout.TWOPC_REPLY), volumesOrConnection(), ints(), ints(), longs(),
                longs(), longs()).as(TwopcReply::new);
    }

    static Arbitrary<Packet> currentUuid() {
        return Combinators.combine(volumes(), longs(), longs()).as(CurrentUuidPacket::new);
    }

    static Arbitrary<Packet> syncParam() {
        return Combinators.combine(volumes(), ints(), asciiNames(), asciiNames(), ints(), ints(), ints(), ints())
                .as(SyncParamPacket::new);
    }

    static Arbitrary<Packet> peerDagtag() {
        return Combinators.combine(longs(), ints()).as(PeerDagtagPacket::new);
    }

    static Arbitrary<Packet> dagtag() {
        return longs().map(DagtagPacket::new);
    }

    static Arbitrary<Packet> enableReplication() {
        return Combinators.combine(typesOf(Layout.ENABLE_REPLICATION), volumes(), Arbitraries.of(true, false))
                .as(EnableReplicationPacket::new);
    }

    static Arbitrary<Packet> flushRequests() {
        return longs().map(FlushRequestsPacket::new);
    }

    static Arbitrary<Packet> flushNode() {
        return Combinators.combine(typesOf(Layout.FLUSH_NODE), longs(), ints()).as(FlushNodePacket::new);
    }

    /** Data packets over heap buffers (not pooled): small blocks, to keep byte-at-a-time runs fast. */
    static Arbitrary<Packet> data() {
        Arbitrary<byte[]> blocks = Arbitraries.integers().between(0, 8).flatMap(sectors ->
                bytes(sectors * Limits.SECTOR_BYTES, sectors * Limits.SECTOR_BYTES));
        return Combinators.combine(typesOf(Layout.DATA_BLOCK), volumes(), longs(), longs(), ints(),
                ints().map(flags -> flags & ~DpFlags.DP_WSAME), blocks)
                .as((type, volume, sector, blockId, seq, flags, block) -> new DataPacket(type, volume, sector,
                        blockId, seq, flags, new byte[0], Unpooled.wrappedBuffer(block)));
    }

    static Arbitrary<Packet> trim() {
        Arbitrary<Integer> sizes = Arbitraries.integers().between(0, Limits.DRBD_MAX_BATCH_BIO_SIZE / 512)
                .map(s -> s * 512);
        return Combinators.combine(typesOf(Layout.TRIM), volumes(), longs(), longs(), ints(), ints(), sizes)
                .as(TrimPacket::new);
    }

    static Arbitrary<Packet> blockAck() {
        return Combinators.combine(typesOf(Layout.BLOCK_ACK), volumes(), longs(), longs(), ints(), ints())
                .as(BlockAck::new);
    }

    static Arbitrary<Packet> barrier() {
        return ints().map(BarrierPacket::new);
    }

    static Arbitrary<Packet> barrierAck() {
        return Combinators.combine(ints(), ints()).as(BarrierAckPacket::new);
    }

    static Arbitrary<Packet> confirmStable() {
        return Combinators.combine(longs(), longs(), ints()).as(ConfirmStablePacket::new);
    }

    static Arbitrary<Packet> peerAck() {
        return Combinators.combine(longs(), longs()).as(PeerAckPacket::new);
    }

    static Arbitrary<Packet> blockRequest() {
        return Combinators.combine(typesOf(Layout.BLOCK_REQUEST), volumes(), longs(), longs(), blksizes(),
                bytes(1, Limits.MAX_DIGEST_BYTES))
                .as((type, volume, sector, blockId, blksize, digest) -> new BlockRequest(type, volume, sector,
                        blockId, blksize, BlockRequest.hasDigest(type) ? digest : new byte[0]));
    }

    static Arbitrary<Packet> resyncRequest() {
        return Combinators.combine(typesOf(Layout.RS_REQUEST), volumes(), longs(), longs(), blksizes(), ints(),
                longs(), bytes(1, Limits.MAX_DIGEST_BYTES))
                .as((type, volume, sector, blockId, blksize, node, dagtag, digest) -> new ResyncRequest(type, volume,
                        sector, blockId, blksize, node, dagtag, BlockRequest.hasDigest(type) ? digest : new byte[0]));
    }

    static Arbitrary<Packet> blockDesc() {
        return Combinators.combine(typesOf(Layout.BLOCK_DESC), volumes(), longs(), ints()).as(BlockDescPacket::new);
    }

    static Arbitrary<Packet> peersInSync() {
        return Combinators.combine(volumes(), longs(), longs(), ints()).as(PeersInSyncPacket::new);
    }

    static Arbitrary<Packet> ovResult() {
        return Combinators.combine(volumes(), longs(), longs(), ints(), ints(), ints()).as(OvResultPacket::new);
    }

    static Arbitrary<Packet> bitmap() {
        return Combinators.combine(volumes(), Arbitraries.longs().array(long[].class)
                .ofMaxSize(BitmapPacket.WORDS_PER_PACKET_H100)).as(BitmapPacket::new);
    }

    static Arbitrary<Packet> compressedBitmap() {
        return Combinators.combine(volumes(), Arbitraries.integers().between(0, 15), Arbitraries.of(true, false),
                bytes(1, 200)).as((volume, pad, polarity, code) -> new CompressedBitmapPacket(volume,
                CompressedBitmapPacket.encodingByte(CompressedBitmapPacket.RLE_VLI_BITS, pad, polarity), code));
    }

    static Arbitrary<Packet> delayProbe() {
        return Combinators.combine(volumesOrConnection(), ints(), ints()).as(DelayProbePacket::new);
    }
}
