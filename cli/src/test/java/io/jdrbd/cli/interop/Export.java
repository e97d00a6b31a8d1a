package io.jdrbd.cli.interop;

import java.nio.file.Path;

/**
 * What an interop test wants served: a memory device of {@code sizeBytes}, its export name, whether it is
 * read-only, and TLS (a directory holding ca-cert.pem, server-cert.pem and server-key.pem; null: no TLS).
 */
record Export(long sizeBytes, String name, boolean readOnly, Path tlsDir, boolean tlsRequired) {

    static Export memory(long sizeBytes) {
        return new Export(sizeBytes, "disk", false, null, false);
    }

    Export named(String exportName) {
        return new Export(sizeBytes, exportName, readOnly, tlsDir, tlsRequired);
    }

    Export asReadOnly() {
        return new Export(sizeBytes, name, true, tlsDir, tlsRequired);
    }

    Export withTls(Path certificates, boolean required) {
        return new Export(sizeBytes, name, readOnly, certificates, required);
    }
}
