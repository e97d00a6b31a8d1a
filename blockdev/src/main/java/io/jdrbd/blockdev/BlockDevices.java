package io.jdrbd.blockdev;

import io.jdrbd.blockdev.file.FileBlockDevice;
import io.jdrbd.blockdev.file.LinuxBlockDevice;
import io.jdrbd.blockdev.layer.ReadOnlyDevice;
import io.jdrbd.blockdev.memory.MemoryBlockDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Opens a device from the text a user writes (CLI options, config files):
 * <ul>
 *   <li>{@code memory} or {@code memory:SIZE}: a sparse memory device (size from the spec or the option);</li>
 *   <li>{@code file:PATH} or a plain path: a file, created sparse with the given size when missing;</li>
 *   <li>a path to a block device node (e.g. {@code /dev/loop0}), also as {@code dev:PATH}:
 *       a {@link LinuxBlockDevice}.</li>
 * </ul>
 * Sizes use {@link SizeParser} (K/M/G/T, powers of 1024).
 */
public final class BlockDevices {

    /** {@code S_IFMT} and {@code S_IFBLK} of {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private BlockDevices() {
    }

    /**
     * How to open.
     *
     * @param sizeBytes size for memory devices and for files that do not exist yet; -1 when not given.
     *                  For existing files and block devices it must match the real size when given.
     * @param readOnly  refuse modifications (EPERM)
     * @param ioThreads I/O threads of file and block devices
     */
    public record Options(long sizeBytes, boolean readOnly, int ioThreads) {
        public static Options defaults() {
            return new Options(-1, false, FileBlockDevice.DEFAULT_IO_THREADS);
        }

        public Options withSize(long value) {
            return new Options(value, readOnly, ioThreads);
        }

        public Options withReadOnly(boolean value) {
            return new Options(sizeBytes, value, ioThreads);
        }
    }

    /**
     * @throws IllegalArgumentException for a spec or size that does not make sense, naming it
     * @throws IOException              when the file or device cannot be opened or created, naming it
     */
    public static BlockDevice open(String spec, Options options) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty device spec (want memory[:SIZE], file:PATH, PATH or /dev/...)");
        }
        if (spec.equals("memory") || spec.startsWith("memory:")) {
            return openMemory(spec, options);
        }
        if (spec.startsWith("file:")) {
            return openFile(Path.of(spec.substring("file:".length())), options);
        }
        if (spec.startsWith("dev:")) {
            return openBlockDevice(Path.of(spec.substring("dev:".length())), options);
        }
        Path path = Path.of(spec);
        if (isBlockDevice(path)) {
            return openBlockDevice(path, options);
        }
        return openFile(path, options);
    }

    private static BlockDevice openMemory(String spec, Options options) {
        long size = options.sizeBytes();
        if (spec.startsWith("memory:")) {
            long fromSpec = SizeParser.parse(spec.substring("memory:".length()), "device spec '" + spec + "'");
            if (size >= 0 && size != fromSpec) {
                throw new IllegalArgumentException("device spec '" + spec + "' says " + fromSpec
                        + " bytes but the size option says " + size);
            }
            size = fromSpec;
        }
        if (size < 0) {
            throw new IllegalArgumentException("a memory device needs a size (memory:SIZE or --size SIZE)");
        }
        if (size > MemoryBlockDevice.MAX_SIZE_BYTES) {
            throw new IllegalArgumentException("memory device size " + size + " exceeds the maximum "
                    + MemoryBlockDevice.MAX_SIZE_BYTES + " (1 PiB)");
        }
        BlockDevice device = new MemoryBlockDevice(size);
        return options.readOnly() ? new ReadOnlyDevice(device) : device;
    }

    private static BlockDevice openFile(Path path, Options options) throws IOException {
        if (!Files.exists(path)) {
            if (options.sizeBytes() < 0) {
                throw new IOException(path + " does not exist; give a size to create it");
            }
            if (options.readOnly()) {
                throw new IOException(path + " does not exist; a read-only device cannot create it");
            }
            FileBlockDevice.create(path, options.sizeBytes());
        }
        FileBlockDevice device = FileBlockDevice.open(path, options.readOnly(), options.ioThreads());
        return checkSize(device, path, options);
    }

    private static BlockDevice openBlockDevice(Path path, Options options) throws IOException {
        if (!isBlockDevice(path)) {
            throw new IOException(path + " is not a block device");
        }
        return checkSize(LinuxBlockDevice.open(path, options.readOnly(), options.ioThreads()), path, options);
    }

    private static BlockDevice checkSize(BlockDevice device, Path path, Options options) {
        if (options.sizeBytes() >= 0 && options.sizeBytes() != device.sizeBytes()) {
            long actual = device.sizeBytes();
            device.close();
            throw new IllegalArgumentException(path + " has " + actual + " bytes but the size option asks for "
                    + options.sizeBytes() + " (omit the size to use the existing one)");
        }
        return device;
    }

    private static boolean isBlockDevice(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (Files.isSymbolicLink(path)) {
                mode = Files.getAttribute(path, "unix:mode");
            }
            return mode instanceof Integer && (((Integer) mode) & S_IFMT) == S_IFBLK;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
