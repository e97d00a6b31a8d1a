package io.jdrbd.replication.wire;

/** P_PEERS_IN_SYNC ({@code p_peer_block_desc}): in this range the nodes in {@code mask} are in sync. */
public record PeersInSyncPacket(int volume, long sector, long mask, int size) implements Packet {

    public PeersInSyncPacket {
        PacketChecks.requireVolume(volume);
    }

    @Override
    public PacketType type() {
        return PacketType.P_PEERS_IN_SYNC;
    }
}
