package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS with X.509: libnbd (nbdinfo) and qemu verify our certificate against a test CA made by openssl. */
class TlsIT {

    private static final long SIZE = 4L << 20;

    @TempDir
    static Path workDir;
    private static Path certificates;
    private static InteropServer server;

    @BeforeAll
    static void startServer() throws IOException {
        certificates = TestCertificates.create(workDir.resolve("pki"));
        server = InteropServer.start(Export.memory(SIZE).withTls(certificates, true), workDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldServeNbdinfoOverVerifiedTls() {
        String info = Programs.succeed("nbdinfo", server.uri() + "?tls-certificates=" + certificates);

        assertThat(info).contains("with TLS").contains("export-size: " + SIZE);
    }

    @Test
    void shouldServeQemuImgOverVerifiedTls() {
        String json = Programs.succeed("qemu-img", "info", "--output=json",
                "--object", "tls-creds-x509,id=tls0,dir=" + certificates + ",endpoint=client",
                "--image-opts", "driver=nbd,server.type=inet,server.host=127.0.0.1,server.port=" + server.port()
                        + ",export=" + server.export().name() + ",tls-creds=tls0");

        assertThat(json).contains("\"virtual-size\": " + SIZE);
    }

    @Test
    void shouldRefuseAPlainClientWhenTlsIsRequired() {
        CommandRunner.Result plain = Programs.run("nbdinfo", "--size", server.plainUri());

        assertThat(plain.exitCode()).as(plain.describe()).isNotZero();
        assertThat(plain.stdout()).doesNotContain(Long.toString(SIZE));
    }

    @Test
    void shouldRefuseAClientThatDoesNotTrustTheCertificate() throws IOException {
        Path otherCa = TestCertificates.create(workDir.resolve("other-pki"));

        CommandRunner.Result untrusted = Programs.run("nbdinfo", "--size", server.uri() + "?tls-certificates="
                + otherCa);

        assertThat(untrusted.exitCode()).as(untrusted.describe()).isNotZero();
    }
}
