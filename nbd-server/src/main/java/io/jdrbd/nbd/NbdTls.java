package io.jdrbd.nbd;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Builds the server's TLS context for NBD_OPT_STARTTLS from PEM files (X.509). */
public final class NbdTls {
    private NbdTls() {
    }

    /**
     * @param certificateChain PEM certificate chain, server certificate first
     * @param privateKey       PEM private key in PKCS#8 ("BEGIN PRIVATE KEY", as {@code openssl genpkey}
     *                         and {@code openssl req -newkey} write it)
     */
    public static SslContext serverContext(Path certificateChain, Path privateKey) throws IOException {
        if (!Files.isReadable(certificateChain)) {
            throw new IOException("TLS certificate file " + certificateChain + " is not readable");
        }
        if (!Files.isReadable(privateKey)) {
            throw new IOException("TLS key file " + privateKey + " is not readable");
        }
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load TLS certificate " + certificateChain + " and key " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }
}
