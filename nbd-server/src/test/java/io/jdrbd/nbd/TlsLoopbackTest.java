package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.nbd.ClientWire.Reply;
import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS with X.509 (a certificate made by openssl), in the mode that requires TLS. */
class TlsLoopbackTest {
    @TempDir
    Path dir;

    private NbdServer server;
    private SSLSocketFactory trustingOurCertificate;
    private final TestDevice device = new TestDevice(1 << 20);

    @BeforeEach
    void start() throws Exception {
        Path openssl = ExternalPrograms.require("openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process process = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(log).isZero();

        server = NbdServer.start(NbdServerConfig.builder().port(0).ioThreads(1)
                .tls(NbdTls.serverContext(cert, key)).tlsRequired(true).build());
        server.addExport(NbdExport.of("r0", device));
        trustingOurCertificate = socketFactoryTrusting(cert);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SSLSocketFactory socketFactoryTrusting(Path cert) throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    @Test
    void shouldRequireTlsThenServeOverIt() throws IOException {
        try (SocketClient c = new SocketClient(server.port())) {
            assertThat(c.option(NbdProtocol.OPT_LIST, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ERR_TLS_REQD);
            assertThat(c.option(NbdProtocol.OPT_GO, ClientWire.infoData("r0")).type())
                    .isEqualTo(NbdProtocol.REP_ERR_TLS_REQD);
            assertThat(c.option(NbdProtocol.OPT_STARTTLS, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
            c.startTls(trustingOurCertificate);
            assertThat(c.option(NbdProtocol.OPT_STARTTLS, new byte[0]).type())
                    .as("a second STARTTLS").isEqualTo(NbdProtocol.REP_ERR_INVALID);
            c.go("r0", false, false);
            device.fill(0, "over TLS".getBytes(StandardCharsets.UTF_8));
            c.request(0, NbdProtocol.CMD_READ, 1, 0, 8, null);
            Reply read = c.readReply(8);
            assertThat(read.error()).isZero();
            assertThat(SocketClient.text(read.payload())).isEqualTo("over TLS");
        }
    }

    @Test
    void shouldForgetStructuredRepliesNegotiatedBeforeTls() throws IOException {
        try (SocketClient c = new SocketClient(server.port())) {
            assertThat(c.option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type())
                    .as("refused in clear text").isEqualTo(NbdProtocol.REP_ERR_TLS_REQD);
            assertThat(c.option(NbdProtocol.OPT_STARTTLS, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
            c.startTls(trustingOurCertificate);
            c.go("r0", false, false);
            assertThat(c.transmissionFlags & NbdProtocol.TFLAG_SEND_DF).isZero();
        }
    }

    @Test
    void shouldCloseOnExportNameBeforeTls() throws IOException {
        try (SocketClient c = new SocketClient(server.port())) {
            c.send(ClientWire.option(NbdProtocol.OPT_EXPORT_NAME, "r0".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
