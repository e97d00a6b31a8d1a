package io.jdrbd.blockdev.file;

import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The Linux calls Java lacks (fallocate, fdatasync on a descriptor, lseek with SEEK_DATA/SEEK_HOLE,
 * block-device ioctls), in one place, bound through jnr-ffi, with the errno → {@link IoError}
 * mapping. Constants are the Linux x86-64/arm64 values (identical on both).
 */
public final class LinuxSyscalls {

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;

    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int POSIX_FADV_WILLNEED = 3;

    /** {@code _IOR(0x12, 114, size_t)}: device size in bytes (u64). */
    public static final long BLKGETSIZE64 = 0x80081272L;
    /** {@code _IO(0x12, 104)}: logical sector size (int). */
    public static final long BLKSSZGET = 0x1268L;
    /** {@code _IO(0x12, 123)}: physical block size (unsigned int). */
    public static final long BLKPBSZGET = 0x127bL;
    /** {@code _IO(0x12, 119)}: discard {@code uint64_t[2] = {start, length}}. */
    public static final long BLKDISCARD = 0x1277L;
    /** {@code _IO(0x12, 127)}: write zeroes {@code uint64_t[2] = {start, length}}. */
    public static final long BLKZEROOUT = 0x127fL;

    public static final int EPERM = 1;
    public static final int ENXIO = 6;
    public static final int EIO = 5;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOSYS = 38;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int EDQUOT = 122;

    /** The C library functions, as jnr-ffi binds them; {@code long} is 64-bit like off_t/size_t here. */
    public interface LibC {
        @SaveError
        int open(String path, int flags, int mode);

        @SaveError
        int close(int fd);

        @SaveError
        int fdatasync(int fd);

        @SaveError
        int fallocate(int fd, int mode, long offset, long length);

        @SaveError
        long lseek(int fd, long offset, int whence);

        @SaveError
        int ioctl(int fd, @size_t long request, @In @Out Pointer argument);

        /** Returns the error number itself (0 on success), not -1 with errno. */
        int posix_fadvise(int fd, long offset, long length, int advice);

        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private LinuxSyscalls() {
    }

    public static LibC libc() {
        return Holder.LIBC;
    }

    /** errno of the calling thread's last saved call. */
    public static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    /** The C library's text for {@code errno}, e.g. "No space left on device". */
    public static String strerror(int errno) {
        String text = Holder.LIBC.strerror(errno);
        return text == null ? "errno " + errno : text;
    }

    /** Native memory for one ioctl argument (freed by the garbage collector). */
    public static Pointer ioctlArgument(int bytes) {
        return Memory.allocateDirect(Holder.RUNTIME, bytes);
    }

    /** The {@link IoError} an errno maps to at the NBD edge. */
    public static IoError toIoError(int errno) {
        switch (errno) {
            case ENOSPC:
            case EDQUOT:
            case EFBIG:
                return IoError.ENOSPC;
            case EOPNOTSUPP:
            case ENOTTY:
            case ENOSYS:
                return IoError.ENOTSUP;
            case EINVAL:
                return IoError.EINVAL;
            case EPERM:
            case EACCES:
            case EROFS:
                return IoError.EPERM;
            case EOVERFLOW:
                return IoError.EOVERFLOW;
            default:
                return IoError.EIO;
        }
    }

    /** A failed result for {@code call} with errno's mapping and text, e.g. "fallocate: Operation not supported". */
    public static IoResult failure(String call, int errno, long offsetBytes, long lengthBytes) {
        return IoResult.failed(toIoError(errno), offsetBytes, lengthBytes,
                call + ": " + strerror(errno) + " (errno " + errno + ")");
    }
}
