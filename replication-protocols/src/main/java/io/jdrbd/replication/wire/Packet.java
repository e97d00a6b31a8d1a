package io.jdrbd.replication.wire;

/**
 * A decoded or to-be-encoded DRBD packet: an immutable record per payload layout. Records whose layout
 * is shared by several packet types (acks, requests, 2PC) carry their {@link PacketType}; the others
 * know it. {@link #volume()} is the h100 volume number, {@link Header#CONNECTION_VOLUME} (-1) for
 * connection-scope packets.
 *
 * <p>Ownership: packets that carry a {@code ByteBuf} ({@link DataPacket}) implement
 * {@link PayloadHolder}. A decoded one holds one reference to a retained slice of the received bytes:
 * whoever takes the packet from the decoder must {@link PayloadHolder#release()} it exactly once.
 * Encoding never consumes the packet's reference.
 */
public sealed interface Packet permits
        InitialPacket, EmptyPacket, ConnectionFeatures, AuthChallenge, AuthResponse, ProtocolPacket,
        SizesPacket, UuidsPacket, Uuids110Packet, SyncUuidPacket, StatePacket, StateChangeRequest,
        StateChangeReply, TwopcRequest, TwopcReply, DataPacket, TrimPacket, BlockAck, BarrierPacket,
        BarrierAckPacket, ConfirmStablePacket, DagtagPacket, PeerAckPacket, PeerDagtagPacket,
        CurrentUuidPacket, BlockRequest, ResyncRequest, BlockDescPacket, PeersInSyncPacket,
        OvResultPacket, SyncParamPacket, BitmapPacket, CompressedBitmapPacket, DelayProbePacket,
        EnableReplicationPacket, FlushRequestsPacket, FlushNodePacket {

    /** The command code of this packet. */
    PacketType type();

    /** The volume number in the header, or {@link Header#CONNECTION_VOLUME}. */
    int volume();
}
