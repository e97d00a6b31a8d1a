package io.jdrbd.blockdev.file;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoFutures;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.RequestCheck;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the file and the Linux block-device backends share: positional I/O through a
 * {@link FileChannel}, durability through {@code fdatasync} on a second descriptor of the same
 * file, and a small pool of I/O threads on which every operation runs and completes its future.
 *
 * <p>Why two descriptors: Java does not expose a {@link FileChannel}'s descriptor, and the calls we
 * need beyond it (fallocate, lseek SEEK_DATA/SEEK_HOLE, ioctl) take one. Opening the path a second
 * time with {@code open(2)} gives a descriptor of the same inode, which is all those calls care
 * about: {@code fdatasync} flushes the inode's dirty pages whichever descriptor wrote them, and a
 * punched hole is seen by reads through either. Data keeps going through {@link FileChannel}, which
 * handles heap and direct buffers without our own copies and retries nothing behind our back.
 *
 * <p>Threads of the pool are never interrupted (an interrupt would close the channel for every
 * request); {@link #close()} lets queued work finish before closing the descriptors.
 */
public abstract class DescriptorDevice implements BlockDevice {

    /** Zeroes for writing zero ranges where the file system cannot zero by itself. */
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();
    private static final long CLOSE_WAIT_SECONDS = 60;

    protected final Path path;
    protected final FileChannel channel;
    protected final int fd;
    protected final boolean readOnly;
    protected final long sizeBytes;
    private final ExecutorService executor;
    /** Which device's pool the current thread belongs to, so close() from a completion cannot deadlock. */
    private static final ThreadLocal<DescriptorDevice> POOL_OWNER = new ThreadLocal<>();
    private volatile boolean closed;

    /**
     * @param channel open on {@code path}; owned by this device from now on
     * @param fd      a descriptor of {@code path} from {@code open(2)}; owned from now on
     */
    protected DescriptorDevice(Path path, FileChannel channel, int fd, boolean readOnly, long sizeBytes,
                               int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads < 1: " + ioThreads);
        }
        this.path = path;
        this.channel = channel;
        this.fd = fd;
        this.readOnly = readOnly;
        this.sizeBytes = sizeBytes;
        this.executor = Executors.newFixedThreadPool(ioThreads, threadFactory(path));
    }

    private ThreadFactory threadFactory(Path path) {
        AtomicInteger counter = new AtomicInteger();
        String name = String.valueOf(path.getFileName());
        return runnable -> {
            Thread thread = new Thread(() -> {
                POOL_OWNER.set(this);
                runnable.run();
            }, "jdrbd-disk-" + name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A blocking unit of I/O run on the pool. */
    @FunctionalInterface
    protected interface IoTask {
        IoResult run() throws IOException;
    }

    public Path path() {
        return path;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public CompletableFuture<IoResult> read(long offsetBytes, int lengthBytes, ByteBuf target) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null && target.maxWritableBytes() < lengthBytes) {
            rejected = IoResult.failed(IoError.EINVAL, offsetBytes, lengthBytes, "target buffer too small");
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        return submit(offsetBytes, lengthBytes, () -> readInto(offsetBytes, lengthBytes, target));
    }

    @Override
    public CompletableFuture<IoResult> write(long offsetBytes, ByteBuf data, int flags) {
        int lengthBytes = data.readableBytes();
        IoResult rejected = checkModification(offsetBytes, lengthBytes);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        int sourceIndex = data.readerIndex();
        return submit(offsetBytes, lengthBytes, () -> {
            int done = 0;
            while (done < lengthBytes) {
                done += data.getBytes(sourceIndex + done, channel, offsetBytes + done, lengthBytes - done);
            }
            return (flags & FUA) != 0 ? syncData() : IoResult.OK;
        });
    }

    @Override
    public CompletableFuture<IoResult> flush() {
        if (closed) {
            return IoFutures.failed(IoError.ESHUTDOWN, 0, 0, path + " is closed");
        }
        return submit(0, 0, this::syncData);
    }

    @Override
    public CompletableFuture<IoResult> trim(long offsetBytes, long lengthBytes, int flags) {
        IoResult rejected = checkModification(offsetBytes, lengthBytes);
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        if (lengthBytes == 0) {
            return IoFutures.OK;
        }
        return submit(offsetBytes, lengthBytes, () -> thenSyncIfFua(discard(offsetBytes, lengthBytes), flags));
    }

    @Override
    public CompletableFuture<IoResult> writeZeroes(long offsetBytes, long lengthBytes, int flags,
                                                   boolean mayPunchHole, boolean fastZero) {
        IoResult rejected = checkModification(offsetBytes, lengthBytes);
        if (rejected == null) {
            rejected = RequestCheck.writeFlags(flags, offsetBytes, lengthBytes);
        }
        if (rejected != null) {
            return IoFutures.of(rejected);
        }
        if (lengthBytes == 0) {
            return IoFutures.OK;
        }
        return submit(offsetBytes, lengthBytes,
                () -> thenSyncIfFua(zero(offsetBytes, lengthBytes, mayPunchHole, fastZero), flags));
    }

    /** Validates the range; a no-op hint unless a backend overrides it. */
    @Override
    public CompletableFuture<IoResult> cache(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        return rejected != null ? IoFutures.of(rejected) : IoFutures.OK;
    }

    /** Deallocates the range (it reads as zeroes afterwards); runs on the pool. */
    protected abstract IoResult discard(long offsetBytes, long lengthBytes) throws IOException;

    /** Makes the range read as zeroes; runs on the pool. */
    protected abstract IoResult zero(long offsetBytes, long lengthBytes, boolean mayPunchHole, boolean fastZero)
            throws IOException;

    /**
     * Lets queued operations finish, then closes the descriptors. Later calls answer ESHUTDOWN.
     * Called from one of this device's own I/O threads (a completion callback), it cannot wait for
     * itself: the descriptors are then closed by a helper thread once the queue has drained.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdown();
        if (POOL_OWNER.get() == this) {
            Thread closer = new Thread(this::awaitAndCloseDescriptors, "jdrbd-disk-close-" + path.getFileName());
            closer.setDaemon(true);
            closer.start();
            return;
        }
        awaitAndCloseDescriptors();
    }

    private void awaitAndCloseDescriptors() {
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(path + ": I/O still running after " + CLOSE_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is lost: every write completed before close was acknowledged or failed
        }
        LinuxSyscalls.libc().close(fd);
    }

    protected final IoResult check(long offsetBytes, long lengthBytes) {
        if (closed) {
            return IoResult.failed(IoError.ESHUTDOWN, offsetBytes, lengthBytes, path + " is closed");
        }
        return RequestCheck.range(offsetBytes, lengthBytes, sizeBytes, requiredAlignment());
    }

    protected final IoResult checkModification(long offsetBytes, long lengthBytes) {
        IoResult rejected = check(offsetBytes, lengthBytes);
        if (rejected == null && readOnly) {
            rejected = IoResult.failed(IoError.EPERM, offsetBytes, lengthBytes, path + " is open read-only");
        }
        return rejected;
    }

    /** Runs {@code task} on the pool and completes the future there; exceptions become results. */
    protected final CompletableFuture<IoResult> submit(long offsetBytes, long lengthBytes, IoTask task) {
        CompletableFuture<IoResult> future = new CompletableFuture<>();
        try {
            executor.execute(() -> future.complete(runTask(offsetBytes, lengthBytes, task)));
        } catch (RejectedExecutionException e) {
            return IoFutures.failed(IoError.ESHUTDOWN, offsetBytes, lengthBytes, path + " is closed");
        }
        return future;
    }

    /** Submits a task answering something other than an {@link IoResult} (allocation queries). */
    protected final <T> CompletableFuture<T> submitQuery(Supplier<T> query,
                                                         Function<IoResult, T> onClosed) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> future.complete(query.get()));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(onClosed.apply(
                    IoResult.failed(IoError.ESHUTDOWN, 0, 0, path + " is closed")));
        }
        return future;
    }

    private IoResult runTask(long offsetBytes, long lengthBytes, IoTask task) {
        try {
            return task.run();
        } catch (IOException e) {
            return ioFailure(e, offsetBytes, lengthBytes);
        } catch (RuntimeException e) {
            return IoResult.failed(IoError.EIO, offsetBytes, lengthBytes, "internal error: " + e);
        }
    }

    private IoResult readInto(long offsetBytes, int lengthBytes, ByteBuf target) throws IOException {
        target.ensureWritable(lengthBytes);
        int targetIndex = target.writerIndex();
        int done = 0;
        while (done < lengthBytes) {
            int got = target.setBytes(targetIndex + done, channel, offsetBytes + done, lengthBytes - done);
            if (got < 0) {
                return IoResult.failed(IoError.EIO, offsetBytes + done, lengthBytes - done,
                        path + ": unexpected end of file (was it truncated behind our back?)");
            }
            done += got;
        }
        target.writerIndex(targetIndex + lengthBytes);
        return IoResult.OK;
    }

    /** fdatasync of the file: every completed write is durable afterwards. */
    protected final IoResult syncData() {
        if (LinuxSyscalls.libc().fdatasync(fd) != 0) {
            return LinuxSyscalls.failure("fdatasync " + path, LinuxSyscalls.errno(), 0, sizeBytes);
        }
        return IoResult.OK;
    }

    private IoResult thenSyncIfFua(IoResult result, int flags) {
        return result.ok() && (flags & FUA) != 0 ? syncData() : result;
    }

    /** Writes zero bytes over the range with positional writes (the slow, always-working way). */
    protected final IoResult writeZeroBytes(long offsetBytes, long lengthBytes) throws IOException {
        long done = 0;
        while (done < lengthBytes) {
            ByteBuffer zeroes = ZEROES.duplicate();
            zeroes.limit((int) Math.min(zeroes.capacity(), lengthBytes - done));
            while (zeroes.hasRemaining()) {
                done += channel.write(zeroes, offsetBytes + done);
            }
        }
        return IoResult.OK;
    }

    /** Maps an I/O exception of the channel, keeping the JDK's text (it carries strerror). */
    protected final IoResult ioFailure(IOException e, long offsetBytes, long lengthBytes) {
        String message = String.valueOf(e.getMessage());
        IoError error = IoError.EIO;
        if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
            error = IoError.ENOSPC;
        } else if (message.contains("Read-only file system")) {
            error = IoError.EPERM;
        } else if (e instanceof ClosedChannelException) {
            error = IoError.ESHUTDOWN;
        }
        return IoResult.failed(error, offsetBytes, lengthBytes, path + ": " + e);
    }

    /** Opens {@code path} with {@code open(2)}; throws with strerror's text when it fails. */
    protected static int openDescriptor(Path path, boolean readOnly) throws IOException {
        int flags = (readOnly ? LinuxSyscalls.O_RDONLY : LinuxSyscalls.O_RDWR) | LinuxSyscalls.O_CLOEXEC;
        int fd = LinuxSyscalls.libc().open(path.toString(), flags, 0);
        if (fd < 0) {
            int errno = LinuxSyscalls.errno();
            throw new IOException("open " + path + ": " + LinuxSyscalls.strerror(errno));
        }
        return fd;
    }
}
