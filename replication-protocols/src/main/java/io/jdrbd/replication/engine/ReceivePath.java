package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.engine.ReceiveLog.PeerWrite;
import io.jdrbd.replication.wire.BarrierAckPacket;
import io.jdrbd.replication.wire.BarrierPacket;
import io.jdrbd.replication.wire.BlockAck;
import io.jdrbd.replication.wire.BlockDescPacket;
import io.jdrbd.replication.wire.DataPacket;
import io.jdrbd.replication.wire.DpFlags;
import io.jdrbd.replication.wire.FeatureFlags;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.Stream;
import io.jdrbd.replication.wire.TrimPacket;
import java.util.List;

/**
 * The secondary side: writes, trims and zero-outs from a Primary go to the local disk in epoch order
 * (see {@link ReceiveLog}); P_RECV_ACK (protocol B) is sent on receipt, P_WRITE_ACK (protocol C) or
 * P_NEG_ACK after the local write, P_BARRIER_ACK once an epoch is written and flushed.
 */
final class ReceivePath {

    private final Engine engine;
    private final boolean[] paused;

    ReceivePath(Engine engine) {
        this.engine = engine;
        this.paused = new boolean[engine.peers.length];
    }

    /** Handles the secondary-side packets; false if {@code packet} is not one of them. */
    boolean onPacket(PeerConnection peer, Packet packet) {
        switch (packet.type()) {
            case P_DATA:
                onData(peer, (DataPacket) packet);
                return true;
            case P_TRIM:
            case P_ZEROES:
                onTrim(peer, (TrimPacket) packet);
                return true;
            case P_BARRIER:
                peer.receive.close(((BarrierPacket) packet).barrier());
                flushHeadIfWritten(peer);
                return true;
            case P_OUT_OF_SYNC:
                BlockDescPacket desc = (BlockDescPacket) packet;
                peer.bitmap.markOutOfSync(desc.sector() << 9, desc.blksize());
                return true;
            case P_PEER_ACK:
            case P_DAGTAG:
                // Peer acks would release activity-log references and settle bits towards third nodes;
                // with one peer and no activity log on a secondary there is nothing to release.
                return true;
            default:
                return false;
        }
    }

    private boolean inDevice(PeerConnection peer, int volume, long sector, long sizeBytes, PacketType type) {
        if (volume != 0) {
            engine.protocolError(peer, type + " for volume " + volume + ", this resource has only volume 0");
            return false;
        }
        long end = (sector << 9) + sizeBytes;
        if (sector < 0 || end > engine.exposedSizeBytes) {
            engine.protocolError(peer, type + " at sector " + sector + "+" + sizeBytes + " lies beyond the device ("
                    + engine.exposedSizeBytes + " bytes)");
            return false;
        }
        return true;
    }

    private void onData(PeerConnection peer, DataPacket packet) {
        if (!inDevice(peer, packet.volume(), packet.sector(), packet.size(), packet.type())) {
            packet.release();
            return;
        }
        if ((packet.dpFlags() & DpFlags.DP_SEND_RECEIVE_ACK) != 0) {
            sendAck(peer, PacketType.P_RECV_ACK, packet.sector(), packet.blockId(), packet.size());
        }
        PeerWrite write = new PeerWrite(WriteRequest.Op.WRITE, packet.sector(), packet.blockId(), packet.size(),
                packet.dpFlags(), packet.data(), peer.receive.openEpoch());
        accept(peer, write);
    }

    private void onTrim(PeerConnection peer, TrimPacket packet) {
        if (!inDevice(peer, packet.volume(), packet.sector(), packet.size(), packet.type())) {
            return;
        }
        if ((packet.dpFlags() & DpFlags.DP_SEND_RECEIVE_ACK) != 0) {
            sendAck(peer, PacketType.P_RECV_ACK, packet.sector(), packet.blockId(), packet.size());
        }
        // Without DRBD_FF_WZEROES an old sender may have meant a zero-out: the receiver must zero every P_TRIM.
        boolean zeroes = packet.type() == PacketType.P_ZEROES
                || (peer.agreedFeatures & FeatureFlags.DRBD_FF_WZEROES) == 0;
        int flags = zeroes && packet.type() == PacketType.P_TRIM ? packet.dpFlags() | DpFlags.DP_DISCARD
                : packet.dpFlags();
        PeerWrite write = new PeerWrite(zeroes ? WriteRequest.Op.ZEROES : WriteRequest.Op.TRIM, packet.sector(),
                packet.blockId(), packet.size(), flags, null, peer.receive.openEpoch());
        accept(peer, write);
    }

    private void accept(PeerConnection peer, PeerWrite write) {
        if (peer.receive.add(write)) {
            submit(peer, write);
        }
        if (peer.receive.overLimit() && !paused[peer.index]) {
            paused[peer.index] = true;
            engine.emit(new EngineOutput.PauseReceive(peer.nodeId(), true));
        }
    }

    private void submit(PeerConnection peer, PeerWrite write) {
        long ioId = engine.newIoId(new DiskIo.PeerWriteIo(peer.index, peer.session, write));
        long offsetBytes = write.sector << 9;
        switch (write.op) {
            case WRITE:
                int flags = ((write.dpFlags & DpFlags.DP_FUA) != 0 ? EngineInput.FLAG_FUA : 0)
                        | ((write.dpFlags & DpFlags.DP_FLUSH) != 0 ? EngineInput.FLAG_PREFLUSH : 0);
                engine.emit(new EngineOutput.SubmitDiskWrite(ioId, offsetBytes, write.data, flags));
                write.data = null;
                break;
            case TRIM:
                engine.emit(new EngineOutput.SubmitDiskTrim(ioId, offsetBytes, write.sizeBytes));
                break;
            default:
                engine.emit(new EngineOutput.SubmitDiskZeroes(ioId, offsetBytes, write.sizeBytes,
                        (write.dpFlags & DpFlags.DP_DISCARD) != 0));
        }
    }

    void onPeerWriteCompleted(DiskIo.PeerWriteIo io, IoResult result) {
        PeerConnection peer = engine.peers[io.peerIndex()];
        if (io.session() != peer.session) {
            return;
        }
        PeerWrite write = io.write();
        write.epoch.completed++;
        if (!result.ok()) {
            engine.logPeer(peer, "local write of a peer request failed at sector " + write.sector + ": " + result);
            sendAck(peer, PacketType.P_NEG_ACK, write.sector, write.blockId, write.sizeBytes);
        } else if ((write.dpFlags & DpFlags.DP_SEND_WRITE_ACK) != 0) {
            sendAck(peer, PacketType.P_WRITE_ACK, write.sector, write.blockId, write.sizeBytes);
        }
        flushHeadIfWritten(peer);
    }

    private void flushHeadIfWritten(PeerConnection peer) {
        if (peer.receive.headNeedsFlush()) {
            ReceiveLog.ReceiveEpoch head = peer.receive.head();
            head.flushSubmitted = true;
            engine.emit(new EngineOutput.SubmitDiskFlush(
                    engine.newIoId(new DiskIo.EpochFlush(peer.index, peer.session, head))));
        }
    }

    void onEpochFlushCompleted(DiskIo.EpochFlush io, IoResult result) {
        PeerConnection peer = engine.peers[io.peerIndex()];
        if (io.session() != peer.session) {
            return;
        }
        if (!result.ok()) {
            engine.logPeer(peer, "flush of epoch " + io.epoch().barrier + " failed: " + result);
        }
        ReceiveLog.ReceiveEpoch head = peer.receive.head();
        Engine.check(head == io.epoch(), "the flushed epoch is the oldest one");
        engine.send(peer, Stream.META, new BarrierAckPacket(head.barrier, head.writes));
        List<PeerWrite> released = peer.receive.popHead();
        for (PeerWrite write : released) {
            submit(peer, write);
        }
        if (paused[peer.index] && !peer.receive.overLimit()) {
            paused[peer.index] = false;
            engine.emit(new EngineOutput.PauseReceive(peer.nodeId(), false));
        }
        flushHeadIfWritten(peer);
    }

    private void sendAck(PeerConnection peer, PacketType type, long sector, long blockId, int sizeBytes) {
        engine.send(peer, Stream.META, new BlockAck(type, 0, sector, blockId, sizeBytes, peer.nextSeq()));
    }

    void onConnectionLost(PeerConnection peer) {
        peer.receive.abandon();
        paused[peer.index] = false;
    }
}
