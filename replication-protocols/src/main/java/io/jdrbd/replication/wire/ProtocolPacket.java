package io.jdrbd.replication.wire;

/**
 * P_PROTOCOL / P_PROTOCOL_UPDATE ({@code p_protocol}): the net settings both sides must agree on.
 *
 * @param type P_PROTOCOL or P_PROTOCOL_UPDATE
 * @param protocol wire protocol: {@link #PROTOCOL_A}, {@link #PROTOCOL_B}, {@link #PROTOCOL_C}
 * @param afterSb0p after-sb-0pri policy ({@link AfterSbPolicy} code)
 * @param afterSb1p after-sb-1pri policy
 * @param afterSb2p after-sb-2pri policy
 * @param connFlags {@link #CF_DISCARD_MY_DATA}, {@link #CF_DRY_RUN}
 * @param twoPrimaries allow-two-primaries
 * @param integrityAlg data-integrity-alg, "" for none (sent as strlen+1 bytes)
 */
public record ProtocolPacket(PacketType type, int protocol, int afterSb0p, int afterSb1p, int afterSb2p,
                             int connFlags, boolean twoPrimaries, String integrityAlg) implements Packet {

    public static final int PROTOCOL_A = 1;
    public static final int PROTOCOL_B = 2;
    public static final int PROTOCOL_C = 3;

    public static final int CF_DISCARD_MY_DATA = 1;
    public static final int CF_DRY_RUN = 2;

    public ProtocolPacket {
        PacketChecks.requireLayout(type, Layout.PROTOCOL);
        PacketChecks.requireString(integrityAlg, "integrity_alg", Limits.MAX_STRING_BYTES);
    }

    @Override
    public int volume() {
        return Header.CONNECTION_VOLUME;
    }
}
