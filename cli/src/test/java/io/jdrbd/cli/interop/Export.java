package io.jdrbd.cli.interop;

import java.nio.file.Path;

/**
 * What an interop test wants served: a memory device of {@code sizeBytes} or an existing file ({@code file}
 * non-null), its export name, whether it is read-only, and TLS (a directory holding ca-cert.pem,
 * server-cert.pem and server-key.pem; null: no TLS).
 */
record Export(long sizeBytes, Path file, String name, boolean readOnly, Path tlsDir, boolean tlsRequired) {

    static Export memory(long sizeBytes) {
        return new Export(sizeBytes, null, "disk", false, null, false);
    }

    /** An existing file as the device (its length is the size). */
    static Export file(Path file, long sizeBytes) {
        return new Export(sizeBytes, file, "disk", false, null, false);
    }

    Export named(String exportName) {
        return new Export(sizeBytes, file, exportName, readOnly, tlsDir, tlsRequired);
    }

    Export asReadOnly() {
        return new Export(sizeBytes, file, name, true, tlsDir, tlsRequired);
    }

    Export withTls(Path certificates, boolean required) {
        return new Export(sizeBytes, file, name, readOnly, certificates, required);
    }
}
