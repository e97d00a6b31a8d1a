package io.jdrbd.metadata;

/**
 * Bits of the superblock's device flags ({@code enum mdf_flag}) and of each peer slot's flags
 * ({@code enum mdf_peer_flag}), drbd-metadata.md §2.2/§2.3.
 */
public final class MetadataFlags {
    public static final int MDF_CONSISTENT = 1;
    public static final int MDF_PRIMARY_IND = 1 << 1;
    /** v08 only. */
    public static final int MDF_08_CONNECTED_IND = 1 << 2;
    /** v08 only. */
    public static final int MDF_08_FULL_SYNC = 1 << 3;
    public static final int MDF_WAS_UP_TO_DATE = 1 << 4;
    /** v08 PEER_OUT_DATED; drbdmeta's {@code dstate} still looks at it for v09 (a quirk we keep). */
    public static final int MDF_08_PEER_OUT_DATED = 1 << 5;
    public static final int MDF_CRASHED_PRIMARY = 1 << 6;
    public static final int MDF_AL_CLEAN = 1 << 7;
    public static final int MDF_AL_DISABLED = 1 << 8;
    public static final int MDF_PRIMARY_LOST_QUORUM = 1 << 9;
    public static final int MDF_HAVE_QUORUM = 1 << 10;

    public static final int MDF_PEER_CONNECTED = 1;
    public static final int MDF_PEER_OUTDATED = 1 << 1;
    public static final int MDF_PEER_FENCING = 1 << 2;
    public static final int MDF_PEER_FULL_SYNC = 1 << 3;
    public static final int MDF_PEER_DEVICE_SEEN = 1 << 4;
    public static final int MDF_NODE_EXISTS = 1 << 16;
    /** In-core only; never written. */
    public static final int MDF_HAVE_BITMAP = 1 << 31;

    private MetadataFlags() {
    }

    /** dump-md's comment for peer flags: names joined by " | " in bit order, unknown bits as 0x..=?. */
    public static String describePeerFlags(int flags) {
        StringBuilder out = new StringBuilder();
        for (int bit = 0; bit < 32; bit++) {
            int value = 1 << bit;
            if ((flags & value) == 0) {
                continue;
            }
            if (out.length() > 0) {
                out.append(" | ");
            }
            out.append(peerFlagName(value));
        }
        return out.toString();
    }

    private static String peerFlagName(int value) {
        switch (value) {
            case MDF_PEER_CONNECTED:
                return "connected";
            case MDF_PEER_OUTDATED:
                return "<=outdated";
            case MDF_PEER_FENCING:
                return "fencing";
            case MDF_PEER_FULL_SYNC:
                return "full-sync";
            case MDF_PEER_DEVICE_SEEN:
                return "seen";
            case MDF_NODE_EXISTS:
                return "exists";
            default:
                return "0x" + Integer.toHexString(value) + "=?";
        }
    }
}
