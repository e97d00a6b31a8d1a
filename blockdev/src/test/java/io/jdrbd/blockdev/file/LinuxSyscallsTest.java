package io.jdrbd.blockdev.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.blockdev.IoError;
import io.jdrbd.blockdev.IoResult;
import org.junit.jupiter.api.Test;

class LinuxSyscallsTest {

    @Test
    void failedCallReportsErrnoWithTheCLibrarysText() {
        assertThat(LinuxSyscalls.libc().fdatasync(-1)).isEqualTo(-1);
        int errno = LinuxSyscalls.errno();
        assertThat(errno).as("EBADF").isEqualTo(9);
        IoResult result = LinuxSyscalls.failure("fdatasync", errno, 10, 20);
        assertThat(result.error()).isEqualTo(IoError.EIO);
        assertThat(result.detail()).isEqualTo("fdatasync: Bad file descriptor (errno 9)");
        assertThat(result.offsetBytes()).isEqualTo(10);
    }

    @Test
    void errnoValuesMapToTheNbdErrors() {
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.ENOSPC)).isEqualTo(IoError.ENOSPC);
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.EDQUOT)).isEqualTo(IoError.ENOSPC);
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.EOPNOTSUPP)).isEqualTo(IoError.ENOTSUP);
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.EROFS)).isEqualTo(IoError.EPERM);
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.EINVAL)).isEqualTo(IoError.EINVAL);
        assertThat(LinuxSyscalls.toIoError(LinuxSyscalls.EIO)).isEqualTo(IoError.EIO);
        assertThat(LinuxSyscalls.strerror(LinuxSyscalls.ENOSPC)).isEqualTo("No space left on device");
    }
}
