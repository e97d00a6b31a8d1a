package io.jdrbd.metadata.text;

import static io.jdrbd.metadata.MetadataFlags.MDF_AL_CLEAN;
import static io.jdrbd.metadata.MetadataFlags.MDF_AL_DISABLED;
import static io.jdrbd.metadata.MetadataFlags.MDF_CONSISTENT;
import static io.jdrbd.metadata.MetadataFlags.MDF_CRASHED_PRIMARY;
import static io.jdrbd.metadata.MetadataFlags.MDF_PEER_CONNECTED;
import static io.jdrbd.metadata.MetadataFlags.MDF_PEER_DEVICE_SEEN;
import static io.jdrbd.metadata.MetadataFlags.MDF_PEER_FENCING;
import static io.jdrbd.metadata.MetadataFlags.MDF_PEER_FULL_SYNC;
import static io.jdrbd.metadata.MetadataFlags.MDF_PEER_OUTDATED;
import static io.jdrbd.metadata.MetadataFlags.MDF_PRIMARY_IND;
import static io.jdrbd.metadata.MetadataFlags.MDF_PRIMARY_LOST_QUORUM;
import static io.jdrbd.metadata.MetadataFlags.MDF_WAS_UP_TO_DATE;

import io.jdrbd.metadata.GenerationUuids;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.PeerSlot;
import io.jdrbd.metadata.Superblock;

/** drbdmeta's generation-identifier texts for v09: get-gi, show-gi, set-gi, dstate (drbd-metadata.md §5). */
public final class GiText {
    private static final int[] DEVICE_FLAGS = {
        MDF_CONSISTENT, MDF_WAS_UP_TO_DATE, MDF_PRIMARY_IND, MDF_CRASHED_PRIMARY, MDF_AL_CLEAN, MDF_AL_DISABLED,
        MDF_PRIMARY_LOST_QUORUM,
    };
    private static final int[] PEER_FLAGS = {
        MDF_PEER_CONNECTED, MDF_PEER_OUTDATED, MDF_PEER_FENCING, MDF_PEER_FULL_SYNC, MDF_PEER_DEVICE_SEEN,
    };

    private static final String SHOW_HEADER = "\n"
            + "       +--<  Current data generation UUID  >-\n"
            + "       |               +--<  Bitmap's base data generation UUID  >-\n"
            + "       |               |                 +--<  younger history UUID  >-\n"
            + "       |               |                 |         +-<  older history  >-\n"
            + "       V               V                 V         V\n";
    private static final String SHOW_LEGEND = ""
            + "                                                                    ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^\n"
            + "                                      -<  Data consistency flag  >--+ | | | | | | | | | | |\n"
            + "                             -<  Data was/is currently up-to-date  >--+ | | | | | | | | | |\n"
            + "                                  -<  Node was/is currently primary  >--+ | | | | | | | | |\n"
            + " -<  This node was a crashed primary, and has not seen its peer since  >--+ | | | | | | | |\n"
            + "             -<  The activity-log was applied, the disk can be attached  >--+ | | | | | | |\n"
            + "        -<  The activity-log was disabled, peer is completely out of sync  >--+ | | | | | |\n"
            + "                              -<  This node was primary when it lost quorum  >--+ | | | | |\n"
            + "                                          -<  Node was/is currently connected  >--+ | | | |\n"
            + "                              -<  The peer's disk was out-dated or inconsistent  >--+ | | |\n"
            + "                                 -<   A fence policy other the dont-care was used  >--+ | |\n"
            + "                  -<  Node was in the progress of marking all blocks as out of sync  >--+ |\n"
            + "                     -<  At least once we saw this node with a backing device attached >--+\n"
            + "\n";

    private GiText() {
    }

    /** The get-gi line (without newline) for peer node {@code nodeId}. */
    public static String getGi(Superblock sb, int nodeId) {
        GenerationUuids uuids = sb.uuids();
        StringBuilder out = new StringBuilder(String.format("%016X:%016X:%016X:%016X", uuids.current(),
                uuids.bitmapUuid(nodeId), uuids.history(0), uuids.history(1)));
        for (int flag : DEVICE_FLAGS) {
            out.append((sb.flags() & flag) != 0 ? ":1" : ":0");
        }
        int peerFlags = sb.peer(nodeId).flags();
        for (int flag : PEER_FLAGS) {
            out.append((peerFlags & flag) != 0 ? ":1" : ":0");
        }
        return out.toString();
    }

    /** The full show-gi text. */
    public static String showGi(Superblock sb, int nodeId) {
        StringBuilder out = new StringBuilder(SHOW_HEADER).append(getGi(sb, nodeId)).append('\n').append(SHOW_LEGEND);
        if (sb.effectiveSizeSect() == 0) {
            out.append("zero size device -- never seen peer yet?\n");
        } else {
            out.append("last agreed size: ").append(humanSize(sb.effectiveSizeSect() / 2))
                    .append(" (").append(sb.effectiveSizeSect()).append(" sectors)\n");
            out.append("last agreed max bio size: ").append(sb.laPeerMaxBioSize()).append(" Byte\n");
        }
        return out.toString();
    }

    /** drbdmeta's size formatting from KiB: divide by 1024, rounding half up, while >= 10000. */
    public static String humanSize(long kib) {
        String units = "KMGTPE";
        int unit = 0;
        long value = kib;
        while (value >= 10000 && unit < units.length() - 1) {
            value = (value >> 10) + ((value >> 9) & 1);
            unit++;
        }
        return value + " " + units.charAt(unit) + "B";
    }

    /** The dstate answer, with drbdmeta's v09 quirk (UpToDate only with the old v08 bit 5). */
    public static String dstate(Superblock sb) {
        if (!sb.hasFlag(MDF_CONSISTENT)) {
            return "Inconsistent";
        }
        if (!sb.hasFlag(MDF_WAS_UP_TO_DATE)) {
            return "Outdated";
        }
        return sb.hasFlag(MetadataFlags.MDF_08_PEER_OUT_DATED) ? "UpToDate" : "Consistent";
    }

    /**
     * Applies a set-gi argument: colon-separated fields in get-gi order, an empty field keeps the
     * value, trailing fields may be omitted; UUIDs are hex (0x tolerated), flags 0 or 1.
     *
     * @throws IllegalArgumentException naming the field that does not parse
     */
    public static Superblock setGi(Superblock sb, int nodeId, String argument) {
        String[] fields = argument.split(":", -1);
        int total = 4 + DEVICE_FLAGS.length + PEER_FLAGS.length;
        if (fields.length > total) {
            throw new IllegalArgumentException("too many fields in '" + argument + "' (at most " + total + ")");
        }
        GenerationUuids uuids = sb.uuids();
        long current = uuidField(fields, 0, uuids.current());
        long bitmap = uuidField(fields, 1, uuids.bitmapUuid(nodeId));
        long[] history = uuids.historyArray();
        history[0] = uuidField(fields, 2, history[0]);
        history[1] = uuidField(fields, 3, history[1]);
        long[] bitmaps = uuids.bitmapUuidArray();
        bitmaps[nodeId] = bitmap;
        int flags = sb.flags();
        for (int i = 0; i < DEVICE_FLAGS.length; i++) {
            flags = flagField(fields, 4 + i, flags, DEVICE_FLAGS[i]);
        }
        PeerSlot peer = sb.peer(nodeId);
        int peerFlags = peer.flags();
        for (int i = 0; i < PEER_FLAGS.length; i++) {
            peerFlags = flagField(fields, 4 + DEVICE_FLAGS.length + i, peerFlags, PEER_FLAGS[i]);
        }
        GenerationUuids updated = GenerationUuids.of(current, bitmaps, uuids.bitmapDagtagArray(), history);
        return sb.withUuids(updated).withFlags(flags).withPeer(nodeId, peer.withFlags(peerFlags));
    }

    private static long uuidField(String[] fields, int index, long old) {
        if (index >= fields.length || fields[index].isEmpty()) {
            return old;
        }
        String text = fields[index].startsWith("0x") || fields[index].startsWith("0X")
                ? fields[index].substring(2) : fields[index];
        if (!text.matches("[0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException("field " + (index + 1) + " ('" + fields[index]
                    + "') is not a 64-bit hex UUID");
        }
        return Long.parseUnsignedLong(text, 16);
    }

    private static int flagField(String[] fields, int index, int flags, int bit) {
        if (index >= fields.length || fields[index].isEmpty()) {
            return flags;
        }
        switch (fields[index]) {
            case "0":
                return flags & ~bit;
            case "1":
                return flags | bit;
            default:
                throw new IllegalArgumentException("field " + (index + 1) + " ('" + fields[index]
                        + "') must be 0 or 1");
        }
    }
}
