package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes with nbdsh (python3-libnbd). libnbd's strict mode is turned off so that out-of-range and read-only
 * requests really reach the server: the errno seen is the server's reply, not libnbd's own check.
 */
class NbdshIT {

    private static final long SIZE = 4L << 20;

    @TempDir
    static Path workDir;
    private static InteropServer writable;
    private static InteropServer readOnly;

    @BeforeAll
    static void startServers() {
        writable = InteropServer.start(Export.memory(SIZE), workDir);
        readOnly = InteropServer.start(Export.memory(SIZE).named("ro").asReadOnly(), workDir);
    }

    @AfterAll
    static void stopServers() {
        if (writable != null) {
            writable.close();
        }
        if (readOnly != null) {
            readOnly.close();
        }
    }

    private static String python(String script) {
        CommandRunner.Result result = Programs.nbdsh("-c", script);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout().strip();
    }

    @Test
    void shouldNegotiateStructuredRepliesAndBaseAllocation() {
        String out = python(String.join("\n",
                "h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)",
                "h.connect_uri('" + writable.uri() + "')",
                "print(h.get_structured_replies_negotiated(), h.can_meta_context(nbd.CONTEXT_BASE_ALLOCATION))"));

        assertThat(out).isEqualTo("True True");
    }

    @Test
    void shouldReportDataAndHolesInBlockStatus() {
        // 128 KiB of data at 1 MiB, its second half trimmed: data at 1 MiB, a hole at 1 MiB + 64 KiB
        String out = python(String.join("\n",
                "h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)",
                "h.connect_uri('" + writable.uri() + "')",
                "h.pwrite(b'\\x01' * 131072, 1048576)",
                "h.trim(65536, 1114112)",
                "def flags_at(offset):",
                "    found = []",
                "    def cb(ctx, start, entries, err):",
                "        if ctx == nbd.CONTEXT_BASE_ALLOCATION:",
                "            pos = start",
                "            for i in range(0, len(entries), 2):",
                "                if pos <= offset < pos + entries[i] and not found:",
                "                    found.append(entries[i + 1])",
                "                pos += entries[i]",
                "        return 0",
                "    h.block_status(65536, offset, cb)",
                "    return found[0]",
                "print(flags_at(1048576), flags_at(1114112), flags_at(1179647))"));

        // flags: 0 = allocated data; 3 = NBD_STATE_HOLE | NBD_STATE_ZERO
        assertThat(out).isEqualTo("0 3 3");
    }

    @Test
    void shouldAnswerAnOutOfRangeReadWithEinvalAndKeepTheConnection() {
        String out = python(String.join("\n",
                "import errno",
                "h.set_strict_mode(0)",
                "h.connect_uri('" + writable.uri() + "')",
                "try:",
                "    h.pread(512, h.get_size())",
                "    print('read past the end succeeded')",
                "except nbd.Error as e:",
                "    print(errno.errorcode.get(e.errno, e.errno))",
                "print(len(h.pread(512, 0)))"));

        assertThat(out.lines()).containsExactly("EINVAL", "512");
    }

    @Test
    void shouldAnswerAWriteToAReadOnlyExportWithEperm() {
        String out = python(String.join("\n",
                "import errno",
                "h.set_strict_mode(0)",
                "h.connect_uri('" + readOnly.uri() + "')",
                "print(h.is_read_only())",
                "try:",
                "    h.pwrite(b'x' * 512, 0)",
                "    print('write to a read-only export succeeded')",
                "except nbd.Error as e:",
                "    print(errno.errorcode.get(e.errno, e.errno))",
                "print(len(h.pread(512, 0)))"));

        assertThat(out.lines()).containsExactly("True", "EPERM", "512");
    }
}
