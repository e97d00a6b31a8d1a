package io.jdrbd.replication.wire;

/**
 * P_CONNECTION_FEATURES ({@code p_connection_features}, 72 bytes, always h80): the first packet on the
 * data socket. The remaining 52 bytes (pad + 6 reserved u64) are sent as zero and ignored on receipt.
 *
 * @param protocolMin lowest protocol version the sender accepts
 * @param featureFlags {@link FeatureFlags} bits
 * @param protocolMax highest protocol version the sender speaks (0 from very old peers = protocolMin)
 * @param senderNodeId the sender's node id (DRBD 9)
 * @param receiverNodeId the node id the sender expects the receiver to have (DRBD 9)
 */
public record ConnectionFeatures(int protocolMin, int featureFlags, int protocolMax, int senderNodeId,
                                 int receiverNodeId) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.P_CONNECTION_FEATURES;
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
