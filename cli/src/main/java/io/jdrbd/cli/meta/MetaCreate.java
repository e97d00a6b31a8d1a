package io.jdrbd.cli.meta;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.metadata.MetaDiskMode;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.SuperblockCodec;
import io.jdrbd.metadata.disk.MetadataStore;
import java.io.PrintStream;

/** {@code create-md [--al-stripes S] [--al-stripe-size-kB K] [--peer-max-bio-size B] [--max-peers] P}. */
final class MetaCreate {
    private final MetaArguments args;
    private final BlockDevice device;
    private final PrintStream out;
    private final PrintStream err;

    MetaCreate(MetaArguments args, BlockDevice device, PrintStream out, PrintStream err) {
        this.args = args;
        this.device = device;
        this.out = out;
        this.err = err;
    }

    int run() throws MetaTool.MetaFailure {
        long maxPeers = maxPeers();
        long stripes = args.alStripes == null ? MetadataLayout.DEFAULT_AL_STRIPES : args.alStripes;
        long stripeSize4k = args.alStripeSizeKb == null ? MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K
                : args.alStripeSizeKb / 4;
        String geometryProblem = MetadataLayout.checkAlGeometry(stripes, stripeSize4k);
        if (geometryProblem != null) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, geometryProblem);
        }
        long mdBytes = device.sizeBytes();
        MetadataLayout layout = MetadataLayout.of(args.mode, args.index, mdBytes, (int) maxPeers, (int) stripes,
                (int) stripeSize4k);
        checkFits(layout, mdBytes);
        MetaCommands commands = new MetaCommands(args, device, out, err);
        refuseV08(layout);
        if (commands.tryRead() != null) {
            err.println("There appears to be a v09 meta data block already in place on " + args.metaDevice
                    + " at byte offset " + layout.mdOffsetBytes());
            commands.confirm("Do you really want to overwrite the existing meta-data?");
        }
        MetadataStore store = new MetadataStore(device, layout);
        out.println("initializing activity log");
        store.initializeAl().join();
        long bitmapBytes = bitmapBytesToZero(layout, mdBytes);
        err.println("initializing bitmap (" + bitmapBytes / 1024 + " KB) to all zero");
        MetadataStore.zero(device, layout.bmStartBytes(), bitmapBytes).join();
        out.println("Writing meta data...");
        int maxBio = args.peerMaxBioSize == null ? 0 : args.peerMaxBioSize.intValue();
        store.writeSuperblock(Superblock.fresh(layout, maxBio), false).join();
        store.flush().join();
        out.println("New drbd meta data block successfully created.");
        return MetaTool.EXIT_OK;
    }

    /** drbdmeta would offer to convert v08 meta-data; we do not convert, and never overwrite it silently. */
    private void refuseV08(MetadataLayout layout) throws MetaTool.MetaFailure {
        int magic = SuperblockCodec.magic(MetadataStore.readBlock(device, layout.mdOffsetBytes()).join());
        if (magic == SuperblockCodec.MAGIC_V08 || magic == SuperblockCodec.MAGIC_84_UNCLEAN) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "v08 (DRBD 8.4) meta-data in place on "
                    + args.metaDevice + "; jdrbd does not convert it (drbdmeta v09 ... create-md does)");
        }
    }

    private long maxPeers() throws MetaTool.MetaFailure {
        Long value = args.maxPeers;
        if (!args.positional.isEmpty()) {
            if (args.positional.size() > 1) {
                throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "create-md takes one argument (max_peers), got "
                        + args.positional);
            }
            try {
                value = MetaArguments.number("max_peers", args.positional.get(0));
            } catch (MetaArguments.UsageException e) {
                throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, e.getMessage());
            }
        }
        long peers = value == null ? 1 : value;
        if (peers < 1 || peers > MetadataLayout.MAX_PEERS_LIMIT) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, "MAX_PEERS argument not in allowed range 1 .. "
                    + MetadataLayout.MAX_PEERS_LIMIT + ": " + peers);
        }
        return peers;
    }

    private static void checkFits(MetadataLayout layout, long mdBytes) throws MetaTool.MetaFailure {
        long end = layout.mdOffsetBytes() + MetadataLayout.BLOCK_BYTES;
        long start = Math.min(layout.alStartBytes(), layout.bmStartBytes());
        boolean tooSmall = start < 0 || end > mdBytes || layout.maxUsableSectors(mdBytes) <= 0;
        if (layout.mode() != MetaDiskMode.INTERNAL) {
            tooSmall = end > mdBytes || layout.bmStartBytes() >= layout.mdOffsetBytes() + layout.mdSizeSect() * 512;
        }
        if (tooSmall) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, "device of " + mdBytes
                    + " bytes is too small for this meta-data (" + layout.mdSizeSect() + " sectors)");
        }
    }

    /** Internal: the whole bitmap area; external: what the md device's size would need, within the area. */
    private static long bitmapBytesToZero(MetadataLayout layout, long mdBytes) {
        if (layout.mode() == MetaDiskMode.INTERNAL) {
            return layout.bitmapAreaBytes();
        }
        long wanted = MetadataLayout.bitmapBytes(mdBytes / MetadataLayout.SECTOR_BYTES, layout.maxPeers());
        long available = Math.min(layout.bitmapAreaBytes(), mdBytes - layout.bmStartBytes());
        return Math.max(0, Math.min(wanted, available));
    }
}
