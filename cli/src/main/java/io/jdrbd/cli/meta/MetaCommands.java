package io.jdrbd.cli.meta;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.metadata.Bitmap;
import io.jdrbd.metadata.MetaDiskMode;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.SuperblockCodec;
import io.jdrbd.metadata.SuperblockV08;
import io.jdrbd.metadata.disk.MetadataStore;
import io.jdrbd.metadata.text.GiText;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/** The commands of {@code jdrbd meta} on one opened meta-data device. */
final class MetaCommands {
    private final MetaArguments args;
    private final BlockDevice device;
    private final PrintStream out;
    private final PrintStream err;

    MetaCommands(MetaArguments args, BlockDevice device, PrintStream out, PrintStream err) {
        this.args = args;
        this.device = device;
        this.out = out;
        this.err = err;
    }

    int run() throws MetaTool.MetaFailure {
        switch (args.command) {
            case "create-md":
                return new MetaCreate(args, device, out, err).run();
            case "dump-md":
                return new MetaDump(this, args, device, out).dump();
            case "restore-md":
                return new MetaDump(this, args, device, out).restore();
            case "get-gi":
                out.println(GiText.getGi(read().superblock, requireNodeId()));
                return MetaTool.EXIT_OK;
            case "show-gi":
                out.print(GiText.showGi(read().superblock, requireNodeId()));
                return MetaTool.EXIT_OK;
            case "set-gi":
                return setGi();
            case "dstate":
                out.println(GiText.dstate(read().superblock));
                return MetaTool.EXIT_OK;
            case "outdate":
                return outdate();
            case "apply-al":
                return new MetaApplyAl(this, device, out, err).run();
            case "wipe-md":
                return wipe();
            case "check-resize":
                return checkResize();
            default:
                throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "Unknown command '" + args.command + "'.");
        }
    }

    /** Valid meta-data found at the place the current device size gives. */
    static final class Found {
        final Superblock superblock;
        final MetadataLayout layout;
        final MetadataStore store;

        Found(Superblock superblock, MetadataLayout layout, MetadataStore store) {
            this.superblock = superblock;
            this.layout = layout;
            this.store = store;
        }
    }

    /** Reads and checks the superblock, or fails with drbdmeta's "No valid meta data found". */
    Found read() throws MetaTool.MetaFailure {
        Found found = tryRead();
        if (found == null) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_FAILED, "No valid meta data found" + lastProblem);
        }
        return found;
    }

    private String lastProblem = "";

    /** Like {@link #read}, null when there is none. */
    Found tryRead() {
        long mdBytes = device.sizeBytes();
        long offset = MetadataStore.superblockOffset(args.mode, args.index, mdBytes);
        if (mdBytes < MetadataLayout.BLOCK_BYTES || offset + MetadataLayout.BLOCK_BYTES > mdBytes) {
            lastProblem = " (device of " + mdBytes + " bytes is too small)";
            return null;
        }
        byte[] block = MetadataStore.readBlock(device, offset).join();
        Superblock sb;
        try {
            sb = SuperblockCodec.decode(block);
        } catch (MetadataFormatException e) {
            lastProblem = " (" + e.getMessage() + ")";
            reportV08(block);
            return null;
        }
        MetadataLayout layout = MetadataLayout.of(args.mode, args.index, mdBytes, sb.maxPeers(),
                sb.effectiveAlStripes(), sb.effectiveAlStripeSize4k());
        MetadataFormatException wrongPlace = SuperblockCodec.checkLayout(sb, layout);
        if (wrongPlace != null) {
            lastProblem = " (" + wrongPlace.getMessage() + ")";
            return null;
        }
        if (args.mode == MetaDiskMode.INTERNAL && Integer.toUnsignedLong(sb.mdSizeSect()) != layout.mdSizeSect()) {
            err.println("strange md_size_sect " + Integer.toUnsignedLong(sb.mdSizeSect()) + " (expected: "
                    + layout.mdSizeSect() + ")");
        }
        MetadataStore store = new MetadataStore(device, layout);
        return new Found(sb, layout, store);
    }

    /** 8.4 users get their meta-data shown before the error, so they can inspect it. */
    private void reportV08(byte[] block) {
        int magic = SuperblockCodec.magic(block);
        if (magic != SuperblockCodec.MAGIC_V08 && magic != SuperblockCodec.MAGIC_84_UNCLEAN) {
            return;
        }
        try {
            out.print(SuperblockV08.decode(block).report());
        } catch (MetadataFormatException e) {
            lastProblem = " (v08 meta-data, " + e.getMessage() + ")";
        }
    }

    /** drbdmeta's max_usable_sect for this device and layout. */
    long usableSectors(MetadataLayout layout) {
        return layout.maxUsableSectors(args.mode == MetaDiskMode.INTERNAL ? device.sizeBytes() : -1);
    }

    private int requireNodeId() throws MetaTool.MetaFailure {
        if (args.nodeId == null) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "The " + args.command
                    + " command requires the --node-id option");
        }
        return args.nodeId.intValue();
    }

    void write(Found found, Superblock superblock) {
        found.store.writeSuperblock(superblock, false).join();
        found.store.flush().join();
    }

    private int setGi() throws MetaTool.MetaFailure {
        int nodeId = requireNodeId();
        if (args.positional.size() != 1) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "USAGE: set-gi --node-id N GI (get-gi's format)");
        }
        Found found = read();
        Superblock updated;
        try {
            updated = GiText.setGi(found.superblock, nodeId, args.positional.get(0));
        } catch (IllegalArgumentException e) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, "set-gi: " + e.getMessage());
        }
        out.println("previously " + GiText.getGi(found.superblock, nodeId));
        out.println("set GI to  " + GiText.getGi(updated, nodeId));
        confirm("Write new GI to disk?");
        write(found, updated);
        return MetaTool.EXIT_OK;
    }

    /** drbdmeta asks; we require --force instead of reading a terminal. */
    void confirm(String question) throws MetaTool.MetaFailure {
        err.println();
        err.println(question);
        if (!args.force) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "not confirmed: use --force");
        }
        err.println("*** confirmation forced via --force option ***");
    }

    private int outdate() throws MetaTool.MetaFailure {
        Found found = read();
        if (!found.superblock.hasFlag(MetadataFlags.MDF_CONSISTENT)) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_INCONSISTENT, "Device is inconsistent.");
        }
        write(found, found.superblock.withFlags(found.superblock.flags() & ~MetadataFlags.MDF_WAS_UP_TO_DATE));
        return MetaTool.EXIT_OK;
    }

    private int wipe() throws MetaTool.MetaFailure {
        Found found = read();
        confirm("Do you really want to wipe out the DRBD meta data?");
        out.println("Wiping meta data...");
        found.store.wipeSuperblock().join();
        found.store.flush().join();
        out.println("DRBD meta data block successfully wiped out.");
        return MetaTool.EXIT_OK;
    }

    private int checkResize() throws MetaTool.MetaFailure {
        if (tryRead() != null) {
            return MetaTool.EXIT_OK;
        }
        throw new MetaTool.MetaFailure(MetaTool.EXIT_FAILED, "No valid meta data found at the place the current "
                + "device size gives" + lastProblem + "; jdrbd keeps no last-known-size file to find moved meta-data");
    }

    /** Bitmap bytes of {@code bmBytes} at the layout's bitmap start. */
    static ByteBuffer readBitmapBytes(Found found, long bmBytes) {
        if (bmBytes == 0) {
            return ByteBuffer.allocate(0);
        }
        if (bmBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("bitmap of " + bmBytes + " bytes is too large to dump");
        }
        return ByteBuffer.wrap(MetadataStore.readBytes(found.store.device(), found.layout.bmStartBytes(),
                (int) bmBytes).join());
    }

    /** The in-memory bitmap of {@code laSizeSect}, loaded from disk. */
    static Bitmap loadBitmap(Found found, long laSizeSect) {
        Bitmap bitmap = Bitmap.forCapacity(laSizeSect, found.superblock.maxPeers());
        found.store.readBitmap(bitmap).join();
        return bitmap;
    }
}
