package io.jdrbd.replication.engine;

import io.jdrbd.blockdev.IoResult;
import io.jdrbd.replication.wire.Packet;
import io.jdrbd.replication.wire.Stream;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Everything that happens to an {@link Engine}: facts, named in the past tense. The driver builds one
 * and calls {@link Engine#handle}. Dispatch is by {@link #kind()} (Java 17 has no pattern switch).
 *
 * <p>Buffer ownership: an input that carries a {@code ByteBuf} (a write's data, a read's result, a
 * received {@code DataPacket}) hands exactly one reference to the engine; the engine releases it (or
 * passes it on inside an output) — the driver must not release it after {@code handle}.
 */
public sealed interface EngineInput {

    /** The kinds of input, one per record. */
    enum Kind {
        WRITE_REQUESTED, READ_REQUESTED, FLUSH_REQUESTED, TRIM_REQUESTED, ZEROES_REQUESTED,
        TRANSPORT_CONNECTED, TRANSPORT_CLOSED, PACKET_RECEIVED, DISK_IO_COMPLETED, METADATA_WRITTEN,
        TIMER_EXPIRED, ADMIN_COMMAND
    }

    Kind kind();

    /** Write flag: the write must be durable when it completes (NBD FUA, REQ_FUA). */
    int FLAG_FUA = 1;
    /** Write flag: flush the cache before the write (REQ_PREFLUSH). */
    int FLAG_PREFLUSH = 2;

    /**
     * The upper layer (NBD) asks to write {@code data} at {@code offsetBytes}. Offset and length are
     * multiples of 512 and within the device; the engine answers a bad range with EINVAL.
     *
     * @param requestId the driver's id, echoed in {@link EngineOutput.CompleteRequest}
     * @param data one reference handed to the engine
     * @param flags {@link #FLAG_FUA}, {@link #FLAG_PREFLUSH}
     */
    record WriteRequested(long requestId, long offsetBytes, ByteBuf data, int flags) implements EngineInput {
        public WriteRequested {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public Kind kind() {
            return Kind.WRITE_REQUESTED;
        }
    }

    /** The upper layer asks to read {@code lengthBytes} at {@code offsetBytes}. */
    record ReadRequested(long requestId, long offsetBytes, int lengthBytes) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.READ_REQUESTED;
        }
    }

    /** The upper layer asks that every write completed so far be durable, locally and on the peers. */
    record FlushRequested(long requestId) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.FLUSH_REQUESTED;
        }
    }

    /** The upper layer discards a range (NBD TRIM); replicated as P_TRIM. */
    record TrimRequested(long requestId, long offsetBytes, long lengthBytes) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.TRIM_REQUESTED;
        }
    }

    /** The upper layer zeroes a range (NBD WRITE_ZEROES); replicated as P_ZEROES. */
    record ZeroesRequested(long requestId, long offsetBytes, long lengthBytes, boolean mayUnmap)
            implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.ZEROES_REQUESTED;
        }
    }

    /**
     * One of the two sockets to a peer is established, its first packet (P_INITIAL_DATA/META) exchanged
     * by the driver. The engine starts the handshake once both sockets of the peer are up.
     */
    record TransportConnected(int peerNodeId, Stream socket) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.TRANSPORT_CONNECTED;
        }
    }

    /** Why a socket went away. */
    enum CloseCause {
        /** The peer closed the stream (EOF / reset). */
        CLOSED_BY_PEER,
        /** A send or receive failed, or a send stayed blocked longer than {@code timeout} × ko-count. */
        IO_ERROR,
        /** The frame decoder rejected the bytes (the detail names packet and field). */
        DECODE_ERROR
    }

    /** A socket to a peer closed or failed; the engine drops the whole connection. */
    record TransportClosed(int peerNodeId, Stream socket, CloseCause cause, String detail) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.TRANSPORT_CLOSED;
        }
    }

    /** A decoded packet from a peer, in stream order per socket. A DataPacket hands its reference over. */
    record PacketReceived(int peerNodeId, Stream socket, Packet packet) implements EngineInput {
        public PacketReceived {
            Objects.requireNonNull(packet, "packet");
        }

        @Override
        public Kind kind() {
            return Kind.PACKET_RECEIVED;
        }
    }

    /**
     * A local disk I/O submitted by a {@code SubmitDisk*} output finished.
     *
     * @param data for a read that succeeded: the bytes read (one reference handed to the engine);
     *     otherwise {@code null}
     */
    record DiskIoCompleted(long ioId, IoResult result, ByteBuf data) implements EngineInput {
        public DiskIoCompleted {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public Kind kind() {
            return Kind.DISK_IO_COMPLETED;
        }
    }

    /** A {@link EngineOutput.WriteMetadata} or {@link EngineOutput.WriteActivityLog} is stable (or failed). */
    record MetadataWritten(long ioId, IoResult result) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.METADATA_WRITTEN;
        }
    }

    /** A timer armed with {@link EngineOutput.ArmTimer} and not cancelled reached its deadline. */
    record TimerExpired(long timerId) implements EngineInput {
        @Override
        public Kind kind() {
            return Kind.TIMER_EXPIRED;
        }
    }

    /**
     * An administrator's command (drbdadm / drbdsetup). Answered by one {@link EngineOutput.AdminReply}
     * with the same {@code replyId}, possibly in a later step.
     *
     * @param peerNodeId the connection for connect/disconnect, {@link #ALL_PEERS} for all
     * @param flags {@link #FORCE}, {@link #CLEAR_BITMAP}, {@link #DISCARD_MY_DATA}
     */
    record AdminCommand(long replyId, AdminVerb verb, int peerNodeId, int flags) implements EngineInput {
        public static final int ALL_PEERS = -1;
        /** {@code primary --force}, {@code disconnect --force}. */
        public static final int FORCE = 1;
        /** {@code new-current-uuid --clear-bitmap}: skip the initial sync. */
        public static final int CLEAR_BITMAP = 2;
        /** {@code connect --discard-my-data}. */
        public static final int DISCARD_MY_DATA = 4;

        public AdminCommand {
            Objects.requireNonNull(verb, "verb");
        }

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        @Override
        public Kind kind() {
            return Kind.ADMIN_COMMAND;
        }
    }
}
