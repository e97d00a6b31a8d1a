package io.jdrbd.cli.meta;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.BlockDevices;
import io.jdrbd.metadata.MetadataFormatException;
import io.jdrbd.metadata.disk.MetadataIoException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code jdrbd meta}: drbdmeta's commands on v09 meta-data (see {@link MetaCommands}). Exit codes
 * as drbdmeta's: 0 ok, 1 no valid / unclean meta-data or a failed operation, 5 outdate of an
 * inconsistent disk, 10 bad dump or option values, 20 usage and open errors.
 */
public final class MetaTool {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_INCONSISTENT = 5;
    static final int EXIT_PARSE = 10;
    static final int EXIT_USAGE = 20;

    /** A failure with its exit code and a one-line message. */
    static final class MetaFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        MetaFailure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    public MetaTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs one command line (the words after "meta"); returns the exit status. */
    public int run(List<String> args) {
        MetaArguments arguments;
        try {
            arguments = MetaArguments.parse(args);
        } catch (MetaArguments.UsageException e) {
            err.println(e.getMessage());
            return EXIT_USAGE;
        }
        if (!arguments.validMinorDevice()) {
            err.println("'" + arguments.minorDevice + "' is not a DRBD device (/dev/drbdN, a minor number or -)");
            return EXIT_USAGE;
        }
        Path path = Path.of(arguments.metaDevice);
        if (!arguments.force && Files.isRegularFile(path)) {
            err.println("'" + arguments.metaDevice + "' is not a block device!");
            return EXIT_USAGE;
        }
        if (!Files.exists(path)) {
            err.println("open(" + arguments.metaDevice + ") failed: No such file or directory");
            return EXIT_USAGE;
        }
        BlockDevice device;
        try {
            // a file or a Linux block device; never created: drbdmeta works on what exists
            device = BlockDevices.open(arguments.metaDevice, BlockDevices.Options.defaults());
        } catch (IOException | IllegalArgumentException e) {
            err.println("open(" + arguments.metaDevice + ") failed: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (device) {
            return new MetaCommands(arguments, device, out, err).run();
        } catch (MetaFailure e) {
            err.println(e.getMessage());
            return e.exitCode;
        } catch (MetadataIoException e) {
            err.println(arguments.metaDevice + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (CompletionException e) {
            return reportCause(arguments, e.getCause());
        }
    }

    private int reportCause(MetaArguments arguments, Throwable cause) {
        if (cause instanceof MetadataIoException) {
            err.println(arguments.metaDevice + ": " + cause.getMessage());
            return EXIT_FAILED;
        }
        if (cause instanceof MetadataFormatException) {
            err.println("No valid meta data found (" + cause.getMessage() + ")");
            return EXIT_FAILED;
        }
        err.println(arguments.metaDevice + ": " + cause);
        return EXIT_FAILED;
    }
}
