package io.jdrbd.cli.meta;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.metadata.AlReplay;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.text.GiText;
import java.io.PrintStream;
import java.util.List;

/** {@code apply-al}: replays the activity log into every bitmap slot (drbd-metadata.md §3.5). */
final class MetaApplyAl {
    private final MetaCommands commands;
    private final PrintStream out;
    private final PrintStream err;

    MetaApplyAl(MetaCommands commands, BlockDevice device, PrintStream out, PrintStream err) {
        this.commands = commands;
        this.out = out;
        this.err = err;
    }

    int run() throws MetaTool.MetaFailure {
        MetaCommands.Found found = commands.read();
        Superblock sb = found.superblock;
        boolean primary = sb.hasFlag(MetadataFlags.MDF_PRIMARY_IND);
        List<byte[]> ring = found.store.readAlRing().join();
        AlReplay.Result replay = AlReplay.replay(ring);
        if (!replay.corruptBlocks().isEmpty()) {
            err.println(replay.corruptBlocks().size() + " corrupt AL transactions found");
            for (String reason : replay.corruptBlocks()) {
                err.println("  " + reason);
            }
        }
        if (replay.unusable()) {
            err.println("No usable activity log found. Do you need to create-md?");
            if (primary) {
                return MetaTool.EXIT_FAILED;
            }
        } else if (replay.updateBlocks() == 0 && !replay.corruptBlocks().isEmpty() && primary
                && !onlyFirstBlockBad(replay)) {
            err.println("No valid AL update transaction found.");
            return MetaTool.EXIT_FAILED;
        }
        if (primary && replay.updateBlocks() > 0) {
            markOutOfSync(found, replay.activeExtents());
        }
        if (replay.updateBlocks() > 0 || replay.unusable()) {
            found.store.initializeAl().join();
        }
        commands.write(found, sb.withFlags(sb.flags() | MetadataFlags.MDF_AL_CLEAN));
        return MetaTool.EXIT_OK;
    }

    private static boolean onlyFirstBlockBad(AlReplay.Result replay) {
        return replay.corruptBlocks().size() == 1 && replay.corruptBlocks().get(0).startsWith("al ring position 0 ");
    }

    private void markOutOfSync(MetaCommands.Found found, long[] extents) {
        long laSize = found.superblock.effectiveSizeSect();
        if (laSize == 0) {
            err.println("la-size-sect is 0: no bitmap to mark the activity log's extents in");
            return;
        }
        Bitmap bitmap = MetaCommands.loadBitmap(found, laSize);
        long newlySet = 0;
        for (long extent : extents) {
            if (extent * Bitmap.BITS_PER_EXTENT >= bitmap.bitCount()) {
                err.println("extent " + extent + " lies beyond the end of the bitmap, ignored");
                continue;
            }
            newlySet += bitmap.setExtentInAllSlots(extent);
        }
        found.store.writeDirtyPages(bitmap).join();
        out.println("Marked additional " + GiText.humanSize(newlySet * 4) + " as out-of-sync based on AL.");
    }
}
