package io.jdrbd.replication.wire;

import java.util.Objects;

/** P_STATE_CHG_REQ / P_CONN_ST_CHG_REQ ({@code p_req_state}, 8.4 dialect): mask + val. */
public record StateChangeRequest(PacketType type, int volume, DrbdState mask, DrbdState val) implements Packet {

    public StateChangeRequest {
        PacketChecks.requireLayout(type, Layout.STATE_CHANGE_REQUEST);
        PacketChecks.requireVolumeOrConnection(volume);
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(val, "val");
    }
}
