package io.jdrbd.replication.wire;

/**
 * P_SYNC_PARAM89 in its 148-byte form ({@code p_rs_param_95}); the two algorithm names are fixed
 * 64-byte NUL-padded fields.
 *
 * @param resyncRate KiB/s
 * @param cPlanAhead 0.1 s units
 * @param cDelayTarget 0.1 s units
 * @param cFillTarget sectors
 * @param cMaxRate KiB/s
 */
public record SyncParamPacket(int volume, int resyncRate, String verifyAlg, String csumsAlg, int cPlanAhead,
                              int cDelayTarget, int cFillTarget, int cMaxRate) implements Packet {

    public SyncParamPacket {
        PacketChecks.requireVolume(volume);
        PacketChecks.requireString(verifyAlg, "verify_alg", Limits.MAX_STRING_BYTES);
        PacketChecks.requireString(csumsAlg, "csums_alg", Limits.MAX_STRING_BYTES);
    }

    @Override
    public PacketType type() {
        return PacketType.P_SYNC_PARAM89;
    }
}
