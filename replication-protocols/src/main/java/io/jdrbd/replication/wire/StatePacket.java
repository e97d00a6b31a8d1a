package io.jdrbd.replication.wire;

import java.util.Objects;

/** P_STATE ({@code p_state}): the sender's state towards the receiver; volume -1 conveys only the role. */
public record StatePacket(int volume, DrbdState state) implements Packet {

    public StatePacket {
        PacketChecks.requireVolumeOrConnection(volume);
        Objects.requireNonNull(state, "state");
    }

    @Override
    public PacketType type() {
        return PacketType.P_STATE;
    }
}
