package io.jdrbd.cli.meta;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.metadata.MetadataFlags;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.MetadataLayout;
import io.jdrbd.metadata.Superblock;
import io.jdrbd.metadata.disk.MetadataStore;
import io.jdrbd.metadata.text.DumpFormatter;
import io.jdrbd.metadata.text.DumpParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** {@code dump-md} and {@code restore-md FILE}. */
final class MetaDump {
    private final MetaCommands commands;
    private final MetaArguments args;
    private final BlockDevice device;
    private final PrintStream out;

    MetaDump(MetaCommands commands, MetaArguments args, BlockDevice device, PrintStream out) {
        this.commands = commands;
        this.args = args;
        this.device = device;
        this.out = out;
    }

    int dump() throws MetaTool.MetaFailure {
        MetaCommands.Found found = commands.read();
        Superblock sb = found.superblock;
        if (!sb.hasFlag(MetadataFlags.MDF_AL_CLEAN) && !args.force) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_FAILED,
                    "Found meta data is \"unclean\", please apply-al first");
        }
        StringBuilder text = new StringBuilder();
        long usable = commands.usableSectors(found.layout);
        if (sb.effectiveSizeSect() > usable) {
            text.append(DumpFormatter.truncationNotice(sb.effectiveSizeSect(), usable));
            sb = sb.withEffectiveSizeSect(usable);
        }
        text.append(DumpFormatter.header(timeLine(), hostName(), commandLine()));
        long bmBytes = sb.effectiveSizeSect() == 0 ? 0 : MetadataLayout.bitmapBytes(sb.effectiveSizeSect(),
                sb.maxPeers());
        ByteBuffer bitmap = MetaCommands.readBitmapBytes(found, bmBytes);
        text.append(DumpFormatter.body(sb, found.layout, bitmap));
        out.print(text);
        out.flush();
        return MetaTool.EXIT_OK;
    }

    private static String timeLine() {
        ZonedDateTime now = ZonedDateTime.now();
        return now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx")) + " [" + now.toEpochSecond() + "]";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private String commandLine() {
        StringBuilder line = new StringBuilder(" jdrbd meta");
        if (args.force) {
            line.append(" --force");
        }
        line.append(' ').append(args.minorDevice).append(" v09 ").append(args.metaDevice).append(' ')
                .append(args.mode == io.jdrbd.metadata.MetaDiskMode.INDEXED ? String.valueOf(args.index)
                        : args.mode == io.jdrbd.metadata.MetaDiskMode.INTERNAL ? "internal" : "flex-external")
                .append(' ').append(args.command);
        return line.toString();
    }

    int restore() throws MetaTool.MetaFailure {
        if (args.positional.size() != 1) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "USAGE: restore-md FILE");
        }
        String file = args.positional.get(0);
        DumpParser.Dump dump;
        try {
            dump = DumpParser.parse(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_USAGE, "open(" + file + ") failed: " + e.getMessage());
        } catch (MetadataFormatException e) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, file + ":" + e.getMessage());
        }
        if (commands.tryRead() != null) {
            commands.confirm("Valid meta-data in place, overwrite?");
        }
        int stripes = dump.alStripes();
        int stripeSize4k = dump.alStripeSize4k();
        boolean oldDefault = stripes == 0 && stripeSize4k == 0;
        int layoutStripes = args.alStripes != null ? args.alStripes.intValue()
                : oldDefault ? MetadataLayout.DEFAULT_AL_STRIPES : stripes;
        int layoutStripeSize = args.alStripeSizeKb != null ? (int) (args.alStripeSizeKb / 4)
                : oldDefault ? MetadataLayout.DEFAULT_AL_STRIPE_SIZE_4K : stripeSize4k;
        String problem = MetadataLayout.checkAlGeometry(layoutStripes, layoutStripeSize);
        if (problem != null) {
            throw new MetaTool.MetaFailure(MetaTool.EXIT_PARSE, problem);
        }
        MetadataLayout layout = MetadataLayout.of(args.mode, args.index, device.sizeBytes(), dump.maxPeers(),
                layoutStripes, layoutStripeSize);
        long laSize = Math.min(dump.laSizeSect(), commands.usableSectors(layout));
        Superblock sb = new Superblock(laSize, dump.uuids(), 0, dump.deviceUuid(), dump.flags(),
                (int) layout.mdSizeSect(), layout.alOffsetSect(), Superblock.DRBDMETA_AL_NR_EXTENTS,
                layout.bmOffsetSect(), dump.bmBytesPerBit(), dump.laPeerMaxBioSize(), dump.maxPeers(), dump.nodeId(),
                args.alStripes != null ? layoutStripes : stripes,
                args.alStripeSizeKb != null ? layoutStripeSize : stripeSize4k, dump.peers());
        MetadataStore store = new MetadataStore(device, layout);
        byte[] bitmap = bitmapBytes(dump, laSize);
        if (bitmap.length > 0) {
            MetadataStore.writeBytes(device, layout.bmStartBytes(), bitmap, 0).join();
        }
        store.writeSuperblock(sb, false).join();
        store.flush().join();
        out.println("Successfully restored meta data");
        return MetaTool.EXIT_OK;
    }

    /**
     * drbdmeta's restore rule: bytes for the last slot's length times max-peers, rounded up to 512,
     * capped at the bitmap for la-size-sect; inside that range missing words are zero.
     */
    private byte[] bitmapBytes(DumpParser.Dump dump, long laSize) {
        int peers = dump.maxPeers();
        long lastSlotWords32 = 2L * dump.bitmaps().get(peers - 1).length;
        long length = (lastSlotWords32 * peers * 4 + 511) / 512 * 512;
        long cap = laSize == 0 ? 0 : MetadataLayout.bitmapBytes(laSize, peers);
        if (length > cap) {
            if (length > 0 && cap < length && lastSlotWords32 > 0) {
                System.err.println("Bitmap info too large, truncated!");
            }
            length = cap;
        }
        byte[] bytes = new byte[(int) length];
        ByteBuffer target = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int slot = 0; slot < peers; slot++) {
            long[] numbers = dump.bitmaps().get(slot);
            for (int j = 0; j < numbers.length; j++) {
                putWord(target, (2L * j) * peers + slot, (int) numbers[j]);
                putWord(target, (2L * j + 1) * peers + slot, (int) (numbers[j] >>> 32));
            }
        }
        return bytes;
    }

    private static void putWord(ByteBuffer target, long wordIndex, int value) {
        long offset = wordIndex * 4;
        if (offset + 4 <= target.capacity()) {
            target.putInt((int) offset, value);
        }
    }
}
