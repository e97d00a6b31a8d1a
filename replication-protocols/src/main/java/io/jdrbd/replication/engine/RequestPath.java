package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.metadata.ActivityLog;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.replication.engine.EngineOutput.CompleteRequest;
import io.jdrbd.replication.wire.BarrierAckPacket;
import io.jdrbd.replication.wire.BarrierPacket;
import io.jdrbd.replication.wire.BlockAck;
import io.jdrbd.replication.wire.DataPacket;
import io.jdrbd.replication.wire.DiskState;
import io.jdrbd.replication.wire.DpFlags;
import io.jdrbd.replication.wire.FeatureFlags;
import io.jdrbd.replication.wire.Limits;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.PacketType;
import io.jdrbd.replication.wire.PeerAckPacket;
import io.jdrbd.replication.wire.Role;
import io.jdrbd.replication.wire.Stream;
import io.jdrbd.replication.wire.TrimPacket;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The Primary's request path: upper-layer writes, trims, zeroes, reads and flushes; the transfer log
 * (every write in submission order until it is done for every peer); epochs and barriers; the acks that
 * complete requests per protocol (A: local write done + packet handed to the transport; B: + P_RECV_ACK;
 * C: + P_WRITE_ACK); and the out-of-sync marking of writes a peer did not get.
 */
final class RequestPath {

    /** The largest trim / write-zeroes one P_TRIM / P_ZEROES carries (DRBD_MAX_BATCH_BIO_SIZE). */
    static final long MAX_DISCARD_BYTES = Limits.DRBD_MAX_BATCH_BIO_SIZE;

    private final Engine engine;
    /** The transfer log, by block id (the opaque handle on the wire), in submission order. */
    private final LinkedHashMap<Long, WriteRequest> log = new LinkedHashMap<>();
    private final List<FlushWaiter> flushes = new ArrayList<>();
    /** Writes admitted but not yet submitted, in arrival order (bounded by max-io-depth). */
    private final ArrayDeque<Admitted> waiting = new ArrayDeque<>();
    private ActivityLog.Transaction alTransaction;
    private long alIoId;
    /** An activity-log extent is 4 MiB. */
    static final int EXTENT_SHIFT = 22;

    private int currentEpoch = 1;
    private int writesInCurrentEpoch;
    private long nextBlockId = 1;
    /** Upper-layer requests accepted and not completed yet (bounded by max-io-depth). */
    private int inFlight;
    /** Sectors written so far: a write's dagtag is this counter after adding its size (DRBD 9 data tag). */
    private long dagtag;
    /** Armed by promotion and by losing a peer while Primary: the next write starts a new data generation. */
    boolean newCurrentUuidPending;
    private long uuidMetadataIoId;

    RequestPath(Engine engine) {
        this.engine = engine;
    }

    int transferLogSize() {
        return log.size();
    }

    int currentEpoch() {
        return currentEpoch;
    }

    /** This node's write-stream position in sectors (DRBD 9 dagtag). */
    long dagtag() {
        return dagtag;
    }

    // ---------------------------------------------------------------------------------------------
    // Upper-layer requests.

    void onWriteRequested(EngineInput.WriteRequested input) {
        ByteBuf data = input.data();
        IoResult refusal = refuseWrite(input.offsetBytes(), data.readableBytes(), Limits.DRBD_MAX_BIO_SIZE);
        if (refusal != null) {
            data.release();
            engine.emit(new CompleteRequest(input.requestId(), refusal, null));
            return;
        }
        admit(input.offsetBytes(), data.readableBytes(), () -> submit(WriteRequest.Op.WRITE, input.requestId(),
                input.offsetBytes(), data.readableBytes(), data, input.flags(), false));
    }

    void onTrimRequested(EngineInput.TrimRequested input) {
        IoResult refusal = refuseWrite(input.offsetBytes(), input.lengthBytes(), MAX_DISCARD_BYTES);
        if (refusal != null) {
            engine.emit(new CompleteRequest(input.requestId(), refusal, null));
            return;
        }
        admit(input.offsetBytes(), input.lengthBytes(), () -> submit(WriteRequest.Op.TRIM, input.requestId(),
                input.offsetBytes(), input.lengthBytes(), null, 0, true));
    }

    void onZeroesRequested(EngineInput.ZeroesRequested input) {
        IoResult refusal = refuseWrite(input.offsetBytes(), input.lengthBytes(), MAX_DISCARD_BYTES);
        if (refusal != null) {
            engine.emit(new CompleteRequest(input.requestId(), refusal, null));
            return;
        }
        admit(input.offsetBytes(), input.lengthBytes(), () -> submit(WriteRequest.Op.ZEROES, input.requestId(),
                input.offsetBytes(), input.lengthBytes(), null, 0, input.mayUnmap()));
    }

    /** Null if the write may proceed, else the error to complete it with (validated once, here, at the edge). */
    private IoResult refuseWrite(long offsetBytes, long lengthBytes, long maxBytes) {
        if (engine.role != Role.PRIMARY) {
            return IoResult.failed(IoError.EPERM, offsetBytes, lengthBytes, "resource is not Primary");
        }
        IoResult range = refuseRange(offsetBytes, lengthBytes, maxBytes);
        if (range != null) {
            return range;
        }
        if (inFlight >= engine.config.maxIoDepth()) {
            return IoResult.failed(IoError.EIO, offsetBytes, lengthBytes, "max-io-depth requests in flight");
        }
        return null;
    }

    private IoResult refuseRange(long offsetBytes, long lengthBytes, long maxBytes) {
        if (offsetBytes < 0 || lengthBytes <= 0 || offsetBytes % 512 != 0 || lengthBytes % 512 != 0) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes, "not a whole number of sectors");
        }
        if (lengthBytes > maxBytes) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes, "larger than " + maxBytes + " bytes");
        }
        if (offsetBytes + lengthBytes > engine.exposedSizeBytes) {
            return IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes,
                    "beyond the device size " + engine.exposedSizeBytes);
        }
        return null;
    }

    /** A write admitted but not yet submitted: it waits for the new-generation meta-data or its AL extents. */
    private static final class Admitted {
        final Runnable submit;
        final long offsetBytes;
        final long lengthBytes;
        final long firstExtent;
        final long lastExtent;
        boolean activated;

        Admitted(Runnable submit, long offsetBytes, long lengthBytes) {
            this.submit = submit;
            this.offsetBytes = offsetBytes;
            this.lengthBytes = lengthBytes;
            this.firstExtent = firstExtent(offsetBytes);
            this.lastExtent = lastExtent(offsetBytes, lengthBytes);
        }
    }

    /**
     * Admits a write of {@code [offsetBytes, offsetBytes + lengthBytes)}: it is submitted (locally and to
     * the peers) once a pending new data generation is on disk and every 4 MiB extent it touches is active
     * in the activity log. Writes leave the queue in arrival order.
     */
    private void admit(long offsetBytes, long lengthBytes, Runnable submit) {
        inFlight++;
        waiting.addLast(new Admitted(submit, offsetBytes, lengthBytes));
        drainWaiting();
    }

    static long firstExtent(long offsetBytes) {
        return offsetBytes >>> EXTENT_SHIFT;
    }

    static long lastExtent(long offsetBytes, long lengthBytes) {
        return (offsetBytes + lengthBytes - 1) >>> EXTENT_SHIFT;
    }

    private void drainWaiting() {
        ActivityLog al = engine.activityLog;
        while (!waiting.isEmpty() && uuidMetadataIoId == 0) {
            if (newCurrentUuidPending) {
                newCurrentUuidPending = false;
                if (startNewGeneration()) {
                    break;
                }
            }
            Admitted head = waiting.peekFirst();
            if (overlapsUncompletedWrite(head)) {
                // DRBD serializes conflicting writes: one overlapping a write that has not completed waits
                // for it, so it lands in a later epoch and every replica applies the two in the same order.
                break;
            }
            if (!head.activated) {
                if (al.activate(head.firstExtent, head.lastExtent) == ActivityLog.Activation.BLOCKED) {
                    break;
                }
                head.activated = true;
            }
            if (!extentsActive(head)) {
                break;
            }
            waiting.removeFirst();
            head.submit.run();
        }
        startAlTransaction();
    }

    private boolean overlapsUncompletedWrite(Admitted admitted) {
        long end = admitted.offsetBytes + admitted.lengthBytes;
        for (WriteRequest request : log.values()) {
            if (!request.completed && request.offsetBytes < end
                    && admitted.offsetBytes < request.offsetBytes + request.lengthBytes) {
                return true;
            }
        }
        return false;
    }

    private boolean extentsActive(Admitted admitted) {
        for (long extent = admitted.firstExtent; extent <= admitted.lastExtent; extent++) {
            if (!engine.activityLog.isActive(extent)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the queued activity-log changes as one transaction, bitmap pages of evicted extents first. */
    private void startAlTransaction() {
        ActivityLog al = engine.activityLog;
        if (alTransaction != null || !al.hasQueuedChanges()) {
            return;
        }
        alTransaction = al.prepareTransaction();
        alIoId = engine.newIoId();
        engine.emit(new EngineOutput.WriteActivityLog(alIoId, alTransaction,
                dirtyPagesOf(alTransaction.evictedExtents())));
    }

    private int[] dirtyPagesOf(long[] extents) {
        Bitmap bitmap = engine.bitmap;
        int[] pages = new int[0];
        int count = 0;
        for (long extent : extents) {
            for (int page = bitmap.firstPageOfExtent(extent); page <= bitmap.lastPageOfExtent(extent); page++) {
                if (bitmap.isDirty(page) && (count == 0 || pages[count - 1] != page)) {
                    if (count == pages.length) {
                        pages = java.util.Arrays.copyOf(pages, Math.max(4, count * 2));
                    }
                    pages[count++] = page;
                }
            }
        }
        return java.util.Arrays.copyOf(pages, count);
    }

    /**
     * DRBD creates a new current UUID on the first write after promotion (or after losing a peer) only if
     * some peer must start tracking changes: one that is not connected with a Consistent/UpToDate disk.
     * The old current goes into those peers' bitmap UUIDs; writes wait until the meta-data is stable.
     */
    private boolean startNewGeneration() {
        long tracking = 0;
        for (PeerConnection peer : engine.peers) {
            if (!peer.connected() || peer.peerDisk.code() < DiskState.CONSISTENT.code()) {
                tracking |= 1L << peer.nodeId();
            }
        }
        if (tracking == 0) {
            return false;
        }
        engine.uuids.newCurrent(engine.entropy.nextLong(), tracking, true);
        uuidMetadataIoId = engine.newIoId();
        engine.emit(new EngineOutput.WriteMetadata(uuidMetadataIoId, engine.uuids.snapshot()));
        for (PeerConnection peer : engine.peers) {
            if (peer.connected()) {
                engine.changes.sendUuids(peer, true);
            }
        }
        return true;
    }

    void onMetadataWritten(EngineInput.MetadataWritten input) {
        if (input.ioId() == alIoId && alTransaction != null) {
            if (input.result().ok()) {
                engine.activityLog.onTransactionWritten(alTransaction);
            } else {
                engine.log("activity log transaction " + alTransaction.trNumber() + " failed: " + input.result());
                engine.activityLog.onTransactionFailed(alTransaction);
            }
            alTransaction = null;
            alIoId = 0;
            drainWaiting();
            return;
        }
        if (input.ioId() != uuidMetadataIoId) {
            if (!input.result().ok()) {
                engine.log("meta-data write failed: " + input.result());
            }
            return;
        }
        uuidMetadataIoId = 0;
        if (!input.result().ok()) {
            engine.log("meta-data write of the new current UUID failed: " + input.result());
        }
        drainWaiting();
    }

    private void submit(WriteRequest.Op op, long requestId, long offsetBytes, long lengthBytes, ByteBuf data,
                        int flags, boolean mayUnmap) {
        WriteRequest request = new WriteRequest(requestId, nextBlockId++, op, offsetBytes, lengthBytes, flags,
                mayUnmap, currentEpoch, engine.nowNs, data, engine.peers.length);
        dagtag += lengthBytes >>> 9;
        request.dagtag = dagtag;
        log.put(request.blockId, request);
        long ioId = engine.newIoId(new DiskIo.LocalWrite(request));
        switch (op) {
            case WRITE:
                engine.emit(new EngineOutput.SubmitDiskWrite(ioId, offsetBytes, data.retain(), flags));
                break;
            case TRIM:
                engine.emit(new EngineOutput.SubmitDiskTrim(ioId, offsetBytes, lengthBytes));
                break;
            default:
                engine.emit(new EngineOutput.SubmitDiskZeroes(ioId, offsetBytes, lengthBytes, mayUnmap));
        }
        for (PeerConnection peer : engine.peers) {
            if (peer.replicating()) {
                sendWrite(peer, request);
            } else {
                // The peer will not get this write: its blocks differ from now on.
                peer.bitmap.markOutOfSync(offsetBytes, lengthBytes);
            }
        }
        writesInCurrentEpoch++;
        // DRBD closes the epoch after every discard/zero-out, and when it reached max-epoch-size writes.
        if (op != WriteRequest.Op.WRITE || writesInCurrentEpoch >= engine.config.maxEpochSize()
                || engine.buggify.fire("engine.epoch.close-early")) {
            closeEpoch();
        }
    }

    private void sendWrite(PeerConnection peer, WriteRequest request) {
        if (peer.openEpoch != currentEpoch) {
            peer.openEpoch = currentEpoch;
            peer.writesInOpenEpoch = 0;
        }
        peer.writesInOpenEpoch++;
        int dpFlags = 0;
        if ((request.flags & EngineInput.FLAG_FUA) != 0) {
            dpFlags |= DpFlags.DP_FUA;
        }
        if ((request.flags & EngineInput.FLAG_PREFLUSH) != 0) {
            dpFlags |= DpFlags.DP_FLUSH;
        }
        Protocol protocol = engine.config.protocol();
        if (protocol == Protocol.B) {
            dpFlags |= DpFlags.DP_SEND_RECEIVE_ACK;
        } else if (protocol == Protocol.C) {
            dpFlags |= DpFlags.DP_SEND_WRITE_ACK;
        }
        Packet packet;
        int seq = peer.nextSeq();
        if (request.op == WriteRequest.Op.WRITE) {
            packet = DataPacket.write(0, request.sector(), request.blockId, seq, dpFlags, request.data.retain());
        } else if (request.op == WriteRequest.Op.ZEROES
                && (peer.agreedFeatures & FeatureFlags.DRBD_FF_WZEROES) != 0) {
            packet = new TrimPacket(PacketType.P_ZEROES, 0, request.sector(), request.blockId, seq,
                    dpFlags | DpFlags.DP_ZEROES | (request.mayUnmap ? DpFlags.DP_DISCARD : 0),
                    (int) request.lengthBytes);
        } else {
            // Without DRBD_FF_WZEROES a zero-out travels as P_TRIM, which the receiver then zeroes.
            packet = new TrimPacket(PacketType.P_TRIM, 0, request.sector(), request.blockId, seq,
                    dpFlags | DpFlags.DP_DISCARD, (int) request.lengthBytes);
        }
        engine.send(peer, Stream.DATA, packet);
        // Protocol A: handing the packet to the transport is all the network part waits for.
        request.net[peer.index] = protocol == Protocol.A ? WriteRequest.NET_OK : WriteRequest.NET_PENDING;
    }

    /** Ends the current epoch: a P_BARRIER to every peer that got writes of it; later writes join the next. */
    void closeEpoch() {
        for (PeerConnection peer : engine.peers) {
            if (peer.connected() && peer.openEpoch == currentEpoch && peer.writesInOpenEpoch > 0) {
                engine.send(peer, Stream.DATA, new BarrierPacket(currentEpoch));
                peer.unackedEpochs.addLast(new PeerConnection.SentEpoch(currentEpoch, peer.writesInOpenEpoch,
                        engine.nowNs));
                peer.openEpoch = -1;
                peer.writesInOpenEpoch = 0;
            }
        }
        currentEpoch++;
        writesInCurrentEpoch = 0;
    }

    void onReadRequested(EngineInput.ReadRequested input) {
        IoResult refusal = refuseRange(input.offsetBytes(), input.lengthBytes(), Limits.DRBD_MAX_BIO_SIZE);
        if (refusal == null && engine.disk != DiskState.UP_TO_DATE) {
            refusal = IoResult.failed(IoError.EIO, input.offsetBytes(), input.lengthBytes(),
                    "local disk is " + engine.disk.drbdName() + ", reads need UpToDate data");
        }
        if (refusal != null) {
            engine.emit(new CompleteRequest(input.requestId(), refusal, null));
            return;
        }
        long ioId = engine.newIoId(new DiskIo.LocalRead(input.requestId()));
        engine.emit(new EngineOutput.SubmitDiskRead(ioId, input.offsetBytes(), input.lengthBytes()));
    }

    void onFlushRequested(EngineInput.FlushRequested input) {
        // The flush covers every write issued before it: close their epoch so its barrier ack (which the
        // secondary sends only after flushing its own disk) proves they are stable on every peer.
        int coveredEpoch = writesInCurrentEpoch > 0 ? currentEpoch : currentEpoch - 1;
        if (writesInCurrentEpoch > 0) {
            closeEpoch();
        }
        FlushWaiter waiter = new FlushWaiter(input.requestId(), coveredEpoch);
        flushes.add(waiter);
        inFlight++;
        engine.emit(new EngineOutput.SubmitDiskFlush(engine.newIoId(new DiskIo.LocalFlush(waiter))));
    }

    void onLocalFlushCompleted(FlushWaiter waiter, IoResult result) {
        waiter.localDone = true;
        waiter.localOk = result.ok();
        completeFlushes();
    }

    private void completeFlushes() {
        Iterator<FlushWaiter> it = flushes.iterator();
        while (it.hasNext()) {
            FlushWaiter waiter = it.next();
            if (!waiter.localDone || !peersStableThrough(waiter.epoch)) {
                continue;
            }
            it.remove();
            inFlight--;
            engine.emit(new CompleteRequest(waiter.requestId, waiter.localOk ? IoResult.OK
                    : IoResult.failed(IoError.EIO, 0, 0, "local flush failed"), null));
        }
    }

    private static boolean peerStableThrough(PeerConnection peer, int epoch) {
        PeerConnection.SentEpoch oldest = peer.unackedEpochs.peekFirst();
        return !peer.connected() || oldest == null || oldest.epoch() > epoch;
    }

    private boolean peersStableThrough(int epoch) {
        for (PeerConnection peer : engine.peers) {
            if (!peerStableThrough(peer, epoch)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Completion.

    void onLocalWriteCompleted(WriteRequest request, IoResult result) {
        request.localDone = true;
        request.localOk = result.ok();
        if (!result.ok()) {
            engine.log("local write failed at " + request.offsetBytes + "+" + request.lengthBytes + ": " + result);
        }
        tryComplete(request);
        tryFree(request);
    }

    private void tryComplete(WriteRequest request) {
        if (request.completed || !request.localDone || !request.networkSettled()) {
            return;
        }
        request.completed = true;
        inFlight--;
        IoResult result = request.anyOk() ? IoResult.OK
                : IoResult.failed(IoError.EIO, request.offsetBytes, request.lengthBytes,
                "the write failed locally and on every peer");
        engine.emit(new CompleteRequest(request.requestId, result, null));
        // A write issued after this completion must be ordered after it on every peer: new epoch.
        if (request.epoch == currentEpoch) {
            closeEpoch();
        }
        if (!waiting.isEmpty()) {
            drainWaiting();
        }
    }

    private void tryFree(WriteRequest request) {
        if (!request.done()) {
            return;
        }
        log.remove(request.blockId);
        if (request.data != null) {
            request.data.release();
            request.data = null;
        }
        // The extent stays hot until every peer has the write (or lost it): only now may the AL forget it.
        engine.activityLog.release(firstExtent(request.offsetBytes),
                lastExtent(request.offsetBytes, request.lengthBytes));
        if (!waiting.isEmpty()) {
            drainWaiting();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Acks from peers.

    /** Handles the Primary-side packets; false if {@code packet} is not one of them. */
    boolean onPacket(PeerConnection peer, Packet packet) {
        switch (packet.type()) {
            case P_RECV_ACK:
            case P_WRITE_ACK:
            case P_WRITE_ACK_IN_SYNC:
                onAck(peer, (BlockAck) packet, true);
                return true;
            case P_NEG_ACK:
                onAck(peer, (BlockAck) packet, false);
                return true;
            case P_BARRIER_ACK:
                onBarrierAck(peer, (BarrierAckPacket) packet);
                return true;
            default:
                return false;
        }
    }

    private void onAck(PeerConnection peer, BlockAck ack, boolean ok) {
        WriteRequest request = log.get(ack.blockId());
        if (request == null || request.net[peer.index] == WriteRequest.NET_NONE) {
            engine.protocolError(peer, ack.type() + " for unknown block_id " + ack.blockId() + " sector "
                    + ack.sector());
            return;
        }
        if (!ok) {
            engine.logPeer(peer, "P_NEG_ACK for sector " + ack.sector() + "+" + ack.blksize()
                    + ": the peer failed to write it");
            request.net[peer.index] = WriteRequest.NET_FAILED;
            peer.bitmap.markOutOfSync(request.offsetBytes, request.lengthBytes);
        } else if (request.net[peer.index] == WriteRequest.NET_PENDING) {
            request.net[peer.index] = WriteRequest.NET_OK;
        }
        tryComplete(request);
        tryFree(request);
    }

    private void onBarrierAck(PeerConnection peer, BarrierAckPacket ack) {
        PeerConnection.SentEpoch oldest = peer.unackedEpochs.peekFirst();
        if (oldest == null || oldest.epoch() != ack.barrier() || oldest.setSize() != ack.setSize()) {
            engine.protocolError(peer, "BAD! BarrierAck #" + ack.barrier() + " received with n_writes="
                    + ack.setSize() + ", expected " + (oldest == null ? "no barrier ack"
                    : "#" + oldest.epoch() + " with n_writes=" + oldest.setSize()));
            return;
        }
        peer.unackedEpochs.removeFirst();
        long lastDagtag = -1;
        long mask = 0;
        for (WriteRequest request : new ArrayList<>(log.values())) {
            if (request.epoch != oldest.epoch() || request.net[peer.index] == WriteRequest.NET_NONE) {
                continue;
            }
            if (request.net[peer.index] == WriteRequest.NET_PENDING) {
                // The barrier ack proves the peer wrote the epoch; an ack still missing cannot arrive later.
                request.net[peer.index] = WriteRequest.NET_OK;
            }
            request.barrierAcked[peer.index] = true;
            mask = peerAckMask(request);
            lastDagtag = request.dagtag;
            tryComplete(request);
            tryFree(request);
        }
        if (lastDagtag >= 0) {
            // DRBD 9 secondaries keep write records until a P_PEER_ACK names the nodes that have them.
            engine.send(peer, Stream.META, new PeerAckPacket(mask, lastDagtag));
        }
        completeFlushes();
    }

    private long peerAckMask(WriteRequest request) {
        long mask = request.localOk ? 1L << engine.config.nodeId() : 0;
        for (PeerConnection other : engine.peers) {
            if (request.net[other.index] == WriteRequest.NET_OK) {
                mask |= 1L << other.nodeId();
            }
        }
        return mask;
    }

    /**
     * The connection to {@code peer} is gone: every write not yet barrier-acked by it is out of sync
     * towards it, pending network parts fail (so no request hangs), and done requests leave the log.
     */
    void onConnectionLost(PeerConnection peer) {
        for (WriteRequest request : new ArrayList<>(log.values())) {
            byte state = request.net[peer.index];
            if (state == WriteRequest.NET_PENDING || (state == WriteRequest.NET_OK
                    && !request.barrierAcked[peer.index])) {
                request.net[peer.index] = WriteRequest.NET_FAILED;
                peer.bitmap.markOutOfSync(request.offsetBytes, request.lengthBytes);
            }
            tryComplete(request);
            tryFree(request);
        }
        if (engine.role == Role.PRIMARY) {
            newCurrentUuidPending = true;
        }
        completeFlushes();
    }

    /** The oldest moment something sent to {@code peer} started waiting for an ack, or -1 if nothing waits. */
    long oldestUnackedNs(PeerConnection peer) {
        long oldest = -1;
        for (WriteRequest request : log.values()) {
            if (request.net[peer.index] == WriteRequest.NET_PENDING) {
                oldest = request.issuedNs;
                break;
            }
        }
        PeerConnection.SentEpoch epoch = peer.unackedEpochs.peekFirst();
        if (epoch != null && (oldest < 0 || epoch.barrierSentNs() < oldest)) {
            oldest = epoch.barrierSentNs();
        }
        return oldest;
    }

    void checkInvariants() {
        Engine.check(inFlight >= 0, "requests in flight never negative");
        Engine.check(inFlight <= engine.config.maxIoDepth() + flushes.size(), "max-io-depth bounds requests");
        Engine.check(waiting.size() <= inFlight, "every waiting write is counted in flight");
        // linear in the transfer log: under -ea only (every test JVM)
        assert transferLogConsistent();
    }

    private boolean transferLogConsistent() {
        for (WriteRequest request : log.values()) {
            Engine.check(request.epoch <= currentEpoch, "transfer-log epochs never ahead of the current one");
            Engine.check(!request.completed || request.localDone, "a completed write finished locally");
        }
        return true;
    }
}
