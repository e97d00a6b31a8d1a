package io.jdrbd.blockdev.file;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jnr.ffi.Pointer;

/**
 * A Linux block device ({@code /dev/sdX}, {@code /dev/loopN}, ...), through the page cache like
 * {@link FileBlockDevice} (see {@link DescriptorDevice}), with the kernel's block ioctls:
 * size from {@code BLKGETSIZE64}, logical and physical block size from {@code BLKSSZGET} and
 * {@code BLKPBSZGET}, trim as {@code BLKDISCARD}, write-zeroes as {@code BLKZEROOUT}.
 *
 * <p>Requests must be aligned to the logical block size (the kernel refuses misaligned discards and
 * zero-outs, and a disk has no smaller unit), so misaligned requests get EINVAL. Allocation cannot be
 * queried from a block device: everything is reported as data.
 *
 * <p>{@code BLKZEROOUT} may be slow (the kernel falls back to writing zeroes when the device has no
 * write-zeroes command), so a fast-zero request answers ENOTSUP unless hole punching is allowed and
 * the device discards with zeroing ({@code BLKDISCARD} of a loop device over a sparse file does).
 */
public final class LinuxBlockDevice extends DescriptorDevice {

    private static final Capabilities WRITABLE = new Capabilities(false, true, true, true, true, false, true, false);

    private final int logicalBlockSize;
    private final int physicalBlockSize;

    private LinuxBlockDevice(Path path, FileChannel channel, int fd, boolean readOnly, long sizeBytes,
                             int logicalBlockSize, int physicalBlockSize, int ioThreads) {
        super(path, channel, fd, readOnly, sizeBytes, ioThreads);
        this.logicalBlockSize = logicalBlockSize;
        this.physicalBlockSize = physicalBlockSize;
    }

    /**
     * Opens a block device node.
     *
     * @throws IOException naming the path when it is not a block device or an ioctl fails
     */
    public static LinuxBlockDevice open(Path path, boolean readOnly, int ioThreads) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such device");
        }
        int fd = openDescriptor(path, readOnly);
        try {
            long size = ioctlLong(fd, path, LinuxSyscalls.BLKGETSIZE64, "BLKGETSIZE64");
            int logical = ioctlInt(fd, path, LinuxSyscalls.BLKSSZGET, "BLKSSZGET");
            int physical = ioctlInt(fd, path, LinuxSyscalls.BLKPBSZGET, "BLKPBSZGET");
            if (logical < 512 || Integer.bitCount(logical) != 1 || physical < logical) {
                throw new IOException(path + ": implausible block sizes logical " + logical + ", physical " + physical);
            }
            FileChannel channel = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new LinuxBlockDevice(path, channel, fd, readOnly, size, logical, physical, ioThreads);
        } catch (IOException | RuntimeException e) {
            LinuxSyscalls.libc().close(fd);
            throw e;
        }
    }

    private static long ioctlLong(int fd, Path path, long request, String name) throws IOException {
        Pointer argument = LinuxSyscalls.ioctlArgument(8);
        if (LinuxSyscalls.libc().ioctl(fd, request, argument) != 0) {
            int errno = LinuxSyscalls.errno();
            throw new IOException(path + ": ioctl " + name + ": " + LinuxSyscalls.strerror(errno)
                    + (errno == LinuxSyscalls.ENOTTY ? " (not a block device)" : ""));
        }
        return argument.getLong(0);
    }

    private static int ioctlInt(int fd, Path path, long request, String name) throws IOException {
        Pointer argument = LinuxSyscalls.ioctlArgument(4);
        if (LinuxSyscalls.libc().ioctl(fd, request, argument) != 0) {
            throw new IOException(path + ": ioctl " + name + ": " + LinuxSyscalls.strerror(LinuxSyscalls.errno()));
        }
        return argument.getInt(0);
    }

    @Override
    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    @Override
    public int physicalBlockSize() {
        return physicalBlockSize;
    }

    @Override
    public int requiredAlignment() {
        return logicalBlockSize;
    }

    @Override
    public Capabilities capabilities() {
        return WRITABLE.withReadOnly(readOnly);
    }

    /** A device without discard support ignores the hint: trim only promises unspecified data. */
    @Override
    protected IoResult discard(long offsetBytes, long lengthBytes) {
        IoResult result = rangeIoctl(LinuxSyscalls.BLKDISCARD, "BLKDISCARD", offsetBytes, lengthBytes);
        return result.error() == IoError.ENOTSUP ? IoResult.OK : result;
    }

    @Override
    protected IoResult zero(long offsetBytes, long lengthBytes, boolean mayPunchHole, boolean fastZero)
            throws IOException {
        if (fastZero) {
            return IoResult.failed(IoError.ENOTSUP, offsetBytes, lengthBytes,
                    path + ": BLKZEROOUT may write zeroes slowly");
        }
        IoResult result = rangeIoctl(LinuxSyscalls.BLKZEROOUT, "BLKZEROOUT", offsetBytes, lengthBytes);
        if (result.ok() || result.error() != IoError.ENOTSUP) {
            return result;
        }
        return writeZeroBytes(offsetBytes, lengthBytes);
    }

    private IoResult rangeIoctl(long request, String name, long offsetBytes, long lengthBytes) {
        Pointer range = LinuxSyscalls.ioctlArgument(16);
        range.putLong(0, offsetBytes);
        range.putLong(8, lengthBytes);
        if (LinuxSyscalls.libc().ioctl(fd, request, range) != 0) {
            return LinuxSyscalls.failure("ioctl " + name + " " + path, LinuxSyscalls.errno(), offsetBytes, lengthBytes);
        }
        return IoResult.OK;
    }

    /** A block device cannot tell holes from data; the whole range is reported as data. */
    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null && lengthBytes == 0) {
            rejected = IoResult.failed(IoError.EINVAL, offsetBytes, 0, "allocation query of length 0");
        }
        if (rejected != null) {
            return CompletableFuture.completedFuture(AllocationResult.failed(rejected));
        }
        return CompletableFuture.completedFuture(AllocationResult.ok(
                List.of(new AllocationExtent(offsetBytes, lengthBytes, false, false))));
    }
}
