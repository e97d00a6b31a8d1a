package io.jdrbd.cli.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away CA and a server certificate for 127.0.0.1/localhost, made with the openssl command line, laid
 * out as nbdkit, libnbd and qemu expect a certificate directory: ca-cert.pem, server-cert.pem, server-key.pem
 * (PKCS#8, which Netty's SslContextBuilder reads).
 */
final class TestCertificates {

    private static final String EC_P256 = "ec_paramgen_curve:prime256v1";

    private TestCertificates() {
    }

    static Path create(Path directory) throws IOException {
        Files.createDirectories(directory);
        String ca = directory.resolve("ca-cert.pem").toString();
        String caKey = directory.resolve("ca-key.pem").toString();
        String key = directory.resolve("server-key.pem").toString();
        String request = directory.resolve("server.csr").toString();
        Path extensions = directory.resolve("server-ext.cnf");
        Files.writeString(extensions, String.join("\n",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "basicConstraints=CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth", ""));
        Programs.succeed("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", EC_P256, "-nodes",
                "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=jdrbd-test-ca",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Programs.succeed("openssl", "req", "-newkey", "ec", "-pkeyopt", EC_P256, "-nodes",
                "-keyout", key, "-out", request, "-subj", "/CN=localhost");
        Programs.succeed("openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                "-out", directory.resolve("server-cert.pem").toString(), "-days", "2",
                "-extfile", extensions.toString());
        return directory;
    }
}
