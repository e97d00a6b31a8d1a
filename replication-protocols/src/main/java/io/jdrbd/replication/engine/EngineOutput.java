package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.metadata.ActivityLog;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Everything an {@link Engine} wants done: commands, appended to {@link Outputs} during a step and
 * carried out by the driver after {@link Engine#handle} returns, in the order they were appended.
 *
 * <p>Buffer ownership: an output that carries a {@code ByteBuf} (a {@code DataPacket} inside
 * {@link SendPacket}, {@link SubmitDiskWrite#data}, {@link CompleteRequest#data}) hands one reference to
 * the driver, which releases it once that output is carried out (packet encoded and written or dropped,
 * disk write completed, reply sent).
 */
public sealed interface EngineOutput {

    /** The kinds of output, one per record. */
    enum Kind {
        SEND_PACKET, OPEN_TRANSPORT, CLOSE_TRANSPORT, PAUSE_RECEIVE, SUBMIT_DISK_READ, SUBMIT_DISK_WRITE,
        SUBMIT_DISK_FLUSH, SUBMIT_DISK_TRIM, SUBMIT_DISK_ZEROES, WRITE_METADATA, WRITE_ACTIVITY_LOG,
        COMPLETE_REQUEST, ARM_TIMER,
        CANCEL_TIMER, EMIT_EVENT, LOG, ADMIN_REPLY
    }

    Kind kind();

    /**
     * Send {@code packet} on {@code socket} of the connection to {@code peerNodeId}. Emitting it means
     * "handed to the transport": the driver appends it to that socket's send queue in emission order
     * (protocol A completes on this). A send that fails comes back as {@link EngineInput.TransportClosed}.
     */
    record SendPacket(int peerNodeId, Stream socket, Packet packet) implements EngineOutput {
        public SendPacket {
            Objects.requireNonNull(packet, "packet");
            if (socket != Stream.DATA && socket != Stream.META) {
                throw new IllegalArgumentException("socket must be DATA or META, not " + socket);
            }
        }

        @Override
        public Kind kind() {
            return Kind.SEND_PACKET;
        }
    }

    /**
     * Establish the two sockets to {@code peerNodeId} (connect to it and accept from it, DRBD's
     * symmetric algorithm), retrying every connect-int until both are up or {@link CloseTransport}
     * comes; report each with {@link EngineInput.TransportConnected}.
     */
    record OpenTransport(int peerNodeId) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.OPEN_TRANSPORT;
        }
    }

    /** Close both sockets to {@code peerNodeId} (after sending what is queued) and stop connecting. */
    record CloseTransport(int peerNodeId) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.CLOSE_TRANSPORT;
        }
    }

    /**
     * Flow control of the data socket from {@code peerNodeId}: stop ({@code paused}) or resume reading
     * it. The engine pauses when received writes waiting for their epoch reach max-buffers.
     */
    record PauseReceive(int peerNodeId, boolean paused) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.PAUSE_RECEIVE;
        }
    }

    /** Read {@code lengthBytes} at {@code offsetBytes} of the backing device into a new buffer. */
    record SubmitDiskRead(long ioId, long offsetBytes, int lengthBytes) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.SUBMIT_DISK_READ;
        }
    }

    /**
     * Write {@code data} at {@code offsetBytes}. {@code flags}: {@link EngineInput#FLAG_FUA} (map to
     * {@code BlockDevice.FUA}), {@link EngineInput#FLAG_PREFLUSH} (flush the device first, then write).
     */
    record SubmitDiskWrite(long ioId, long offsetBytes, ByteBuf data, int flags) implements EngineOutput {
        public SubmitDiskWrite {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public Kind kind() {
            return Kind.SUBMIT_DISK_WRITE;
        }
    }

    /** Flush the backing device's volatile cache. */
    record SubmitDiskFlush(long ioId) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.SUBMIT_DISK_FLUSH;
        }
    }

    /** Discard a range of the backing device. */
    record SubmitDiskTrim(long ioId, long offsetBytes, long lengthBytes) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.SUBMIT_DISK_TRIM;
        }
    }

    /** Zero a range of the backing device ({@code mayUnmap}: it may deallocate). */
    record SubmitDiskZeroes(long ioId, long offsetBytes, long lengthBytes, boolean mayUnmap)
            implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.SUBMIT_DISK_ZEROES;
        }
    }

    /**
     * Persist the meta-data (generation UUIDs, flags) atomically; answer with
     * {@link EngineInput.MetadataWritten}.
     */
    record WriteMetadata(long ioId, MetadataRecord record) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.WRITE_METADATA;
        }
    }

    /**
     * Commit an activity-log transaction: first write the listed bitmap pages ({@code engine.bitmap()
     * .encodePage(page, …)}, then {@code markClean(page)}) — they cover the extents this transaction
     * evicts — then write {@code transaction.block()} to the AL ring (with FUA); answer with
     * {@link EngineInput.MetadataWritten}. Writes to the transaction's extents wait for it.
     */
    record WriteActivityLog(long ioId, ActivityLog.Transaction transaction, int[] bitmapPages)
            implements EngineOutput {
        public WriteActivityLog {
            Objects.requireNonNull(transaction, "transaction");
            bitmapPages = bitmapPages.clone();
        }

        @Override
        public int[] bitmapPages() {
            return bitmapPages.clone();
        }

        @Override
        public Kind kind() {
            return Kind.WRITE_ACTIVITY_LOG;
        }
    }

    /**
     * Complete an upper-layer request.
     *
     * @param data for a successful read: the bytes (one reference handed to the driver); else null
     */
    record CompleteRequest(long requestId, IoResult result, ByteBuf data) implements EngineOutput {
        public CompleteRequest {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public Kind kind() {
            return Kind.COMPLETE_REQUEST;
        }
    }

    /** Arm (or re-arm, replacing the old deadline) timer {@code timerId} to fire at {@code deadlineNs}. */
    record ArmTimer(long timerId, long deadlineNs) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.ARM_TIMER;
        }
    }

    /** Cancel timer {@code timerId}; a no-op if it is not armed. */
    record CancelTimer(long timerId) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.CANCEL_TIMER;
        }
    }

    /** A state change in the events2 vocabulary, e.g. {@code change resource name:r0 role:Primary}. */
    record EmitEvent(Events2Line line) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.EMIT_EVENT;
        }
    }

    /** A kernel-log style message (why a connection was refused, "PingAck did not arrive in time", ...). */
    record Log(String text) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.LOG;
        }
    }

    /** The answer to {@link EngineInput.AdminCommand} {@code replyId}. */
    record AdminReply(long replyId, StateChangeResult result) implements EngineOutput {
        public boolean ok() {
            return result.ok();
        }

        @Override
        public Kind kind() {
            return Kind.ADMIN_REPLY;
        }
    }
}
