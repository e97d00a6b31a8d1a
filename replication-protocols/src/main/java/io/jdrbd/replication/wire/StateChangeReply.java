package io.jdrbd.replication.wire;

/**
 * P_STATE_CHG_REPLY / P_CONN_ST_CHG_REPLY ({@code p_req_state_reply}): {@code enum drbd_state_rv}
 * (1 SUCCESS, negative = refusal reason).
 */
public record StateChangeReply(PacketType type, int volume, int retcode) implements Packet {

    public StateChangeReply {
        PacketChecks.requireLayout(type, Layout.STATE_CHANGE_REPLY);
        PacketChecks.requireVolumeOrConnection(volume);
    }
}
