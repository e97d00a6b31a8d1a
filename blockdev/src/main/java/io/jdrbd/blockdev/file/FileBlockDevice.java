package io.jdrbd.blockdev.file;

import io.jdrbd.blockdev.AllocationExtent;
import io.jdrbd.blockdev.Capabilities;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A block device backed by a regular file (see {@link DescriptorDevice} for the I/O model).
 *
 * <ul>
 *   <li>flush: {@code fdatasync}; FUA: the write, then {@code fdatasync}.</li>
 *   <li>trim: {@code fallocate(PUNCH_HOLE | KEEP_SIZE)}; where the file system cannot punch holes,
 *       zeroes are written instead, so a trimmed range always reads as zeroes.</li>
 *   <li>write-zeroes: a punched hole when allowed, else {@code fallocate(ZERO_RANGE)}, else written
 *       zeroes; with {@code fastZero}, {@link IoError#ENOTSUP} instead of writing zeroes.</li>
 *   <li>allocation: {@code lseek(SEEK_DATA / SEEK_HOLE)}; holes are reported as hole + zero.</li>
 *   <li>cache: {@code posix_fadvise(WILLNEED)}.</li>
 * </ul>
 * Byte-granular: no alignment is required, the page cache does the read-modify-write.
 */
public final class FileBlockDevice extends DescriptorDevice {

    /** Bound on the extents of one allocation answer, so a fragmented file answers in pieces. */
    static final int MAX_EXTENTS_PER_ANSWER = 1024;
    public static final int DEFAULT_IO_THREADS = 4;

    private static final Capabilities WRITABLE = new Capabilities(false, true, true, true, true, true, true, true);

    private FileBlockDevice(Path path, FileChannel channel, int fd, boolean readOnly, long sizeBytes, int ioThreads) {
        super(path, channel, fd, readOnly, sizeBytes, ioThreads);
    }

    /** Opens an existing file read-write with {@link #DEFAULT_IO_THREADS} I/O threads. */
    public static FileBlockDevice open(Path path) throws IOException {
        return open(path, false, DEFAULT_IO_THREADS);
    }

    /**
     * Opens an existing regular file; the device has the file's current size.
     *
     * @throws IOException naming the path when it is missing, not a regular file or cannot be opened
     */
    public static FileBlockDevice open(Path path, boolean readOnly, int ioThreads) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": not a regular file (or missing)");
        }
        FileChannel channel = readOnly
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        int fd;
        try {
            fd = openDescriptor(path, readOnly);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new FileBlockDevice(path, channel, fd, readOnly, channel.size(), ioThreads);
    }

    /** Creates a new sparse file of {@code sizeBytes} (all holes); fails if it exists. */
    public static void create(Path path, long sizeBytes) throws IOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(path + ": size < 0: " + sizeBytes);
        }
        Files.createFile(path);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(sizeBytes); // ftruncate: extends without allocating
        }
    }

    @Override
    public int logicalBlockSize() {
        return 512;
    }

    @Override
    public int physicalBlockSize() {
        return 4096;
    }

    @Override
    public Capabilities capabilities() {
        return WRITABLE.withReadOnly(readOnly);
    }

    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        return submit(offsetBytes, lengthBytes, () -> {
            int error = LinuxSyscalls.libc().posix_fadvise(fd, offsetBytes, lengthBytes,
                    LinuxSyscalls.POSIX_FADV_WILLNEED);
            return error == 0 ? IoResult.OK : LinuxSyscalls.failure("posix_fadvise", error, offsetBytes, lengthBytes);
        });
    }

    @Override
    protected IoResult discard(long offsetBytes, long lengthBytes) throws IOException {
        if (punchHole(offsetBytes, lengthBytes) == 0) {
            return IoResult.OK;
        }
        int errno = LinuxSyscalls.errno();
        if (errno == LinuxSyscalls.EOPNOTSUPP) {
            return writeZeroBytes(offsetBytes, lengthBytes);
        }
        return LinuxSyscalls.failure("fallocate(PUNCH_HOLE) " + path, errno, offsetBytes, lengthBytes);
    }

    @Override
    protected IoResult zero(long offsetBytes, long lengthBytes, boolean mayPunchHole, boolean fastZero)
            throws IOException {
        if (mayPunchHole) {
            if (punchHole(offsetBytes, lengthBytes) == 0) {
                return IoResult.OK;
            }
            int errno = LinuxSyscalls.errno();
            if (errno != LinuxSyscalls.EOPNOTSUPP) {
                return LinuxSyscalls.failure("fallocate(PUNCH_HOLE) " + path, errno, offsetBytes, lengthBytes);
            }
        }
        if (LinuxSyscalls.libc().fallocate(fd, LinuxSyscalls.FALLOC_FL_ZERO_RANGE | LinuxSyscalls.FALLOC_FL_KEEP_SIZE,
                offsetBytes, lengthBytes) == 0) {
            return IoResult.OK;
        }
        int errno = LinuxSyscalls.errno();
        if (errno != LinuxSyscalls.EOPNOTSUPP) {
            return LinuxSyscalls.failure("fallocate(ZERO_RANGE) " + path, errno, offsetBytes, lengthBytes);
        }
        if (fastZero) {
            return IoResult.failed(IoError.ENOTSUP, offsetBytes, lengthBytes,
                    path + ": the file system can neither punch holes nor zero ranges; zeroing would be slow");
        }
        return writeZeroBytes(offsetBytes, lengthBytes);
    }

    private int punchHole(long offsetBytes, long lengthBytes) {
        int mode = LinuxSyscalls.FALLOC_FL_PUNCH_HOLE | LinuxSyscalls.FALLOC_FL_KEEP_SIZE;
        return LinuxSyscalls.libc().fallocate(fd, mode, offsetBytes, lengthBytes);
    }

    @Override
    public CompletableFuture<AllocationResult> allocation(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null && lengthBytes == 0) {
            rejected = IoResult.failed(IoError.EINVAL, offsetBytes, 0, "allocation query of length 0");
        }
        if (rejected != null) {
            return CompletableFuture.completedFuture(AllocationResult.failed(rejected));
        }
        return submitQuery(() -> mapAllocation(offsetBytes, lengthBytes), AllocationResult::failed);
    }

    /** Walks data and holes with lseek; a file system without SEEK_DATA reports everything as data. */
    private AllocationResult mapAllocation(long offsetBytes, long lengthBytes) {
        List<AllocationExtent> extents = new ArrayList<>();
        long end = offsetBytes + lengthBytes;
        long position = offsetBytes;
        while (position < end && extents.size() < MAX_EXTENTS_PER_ANSWER) {
            long data = LinuxSyscalls.libc().lseek(fd, position, LinuxSyscalls.SEEK_DATA);
            if (data < 0) {
                int errno = LinuxSyscalls.errno();
                if (errno == LinuxSyscalls.ENXIO) {
                    // no data at or after position: the rest is one hole
                    extents.add(new AllocationExtent(position, end - position, true, true));
                    break;
                }
                if (errno == LinuxSyscalls.EINVAL || errno == LinuxSyscalls.EOPNOTSUPP) {
                    extents.add(new AllocationExtent(position, end - position, false, false));
                    break;
                }
                return AllocationResult.failed(LinuxSyscalls.failure("lseek(SEEK_DATA) " + path, errno,
                        position, end - position));
            }
            if (data > position) {
                long holeEnd = Math.min(data, end);
                extents.add(new AllocationExtent(position, holeEnd - position, true, true));
                position = holeEnd;
                continue;
            }
            long hole = LinuxSyscalls.libc().lseek(fd, position, LinuxSyscalls.SEEK_HOLE);
            if (hole < 0) {
                return AllocationResult.failed(LinuxSyscalls.failure("lseek(SEEK_HOLE) " + path,
                        LinuxSyscalls.errno(), position, end - position));
            }
            long dataEnd = Math.min(Math.max(hole, position + 1), end);
            extents.add(new AllocationExtent(position, dataEnd - position, false, false));
            position = dataEnd;
        }
        return AllocationResult.ok(extents);
    }
}
