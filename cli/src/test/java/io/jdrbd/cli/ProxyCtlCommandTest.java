package io.jdrbd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.proxy.ProxyConfig;
import io.jdrbd.proxy.ProxyConnectionSpec;
import io.jdrbd.proxy.ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProxyCtlCommandTest {

    @Test
    void shouldReadCommandsFromStandardInputUntilQuitWhenCalledWithoutACommand() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        ProxyConnectionSpec spec = new ProxyConnectionSpec("r0-b-a", any, any, nowhere, nowhere, null, 64L << 20, 0);
        java.io.InputStream savedIn = System.in;
        try (ProxyServer proxy = ProxyServer.start(new ProxyConfig(List.of(spec), any, 1, 1))) {
            System.setIn(new java.io.ByteArrayInputStream(
                    "list plugins\n\nset memlimit r0-b-a 1G\nquit\nshow\n".getBytes()));
            StringWriter out = new StringWriter();
            int status = new CommandLine(new Main()).setOut(new PrintWriter(out))
                    .execute("proxy-ctl", "--control", "127.0.0.1:" + proxy.controlAddress().getPort());
            assertThat(status).isZero();
            assertThat(out.toString()).isEqualTo("connection r0-b-a:\n\tno compression\n"
                    + "memlimit of r0-b-a set to 1073741824\n");
            assertThat(proxy.connectionStatus("r0-b-a").spec().memlimitBytes()).isEqualTo(1L << 30);
        } finally {
            System.setIn(savedIn);
        }
    }

    @Test
    void shouldRunCommandsAgainstARunningProxyFoundThroughTheClusterDirectory(@TempDir Path dir) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        ProxyConnectionSpec spec = new ProxyConnectionSpec("r0-b-a", any, any, nowhere, nowhere, null, 64L << 20, 3);
        try (ProxyServer proxy = ProxyServer.start(new ProxyConfig(List.of(spec), any, 1, 1))) {
            Files.createDirectories(dir.resolve("a"));
            InetSocketAddress control = proxy.controlAddress();
            Files.writeString(dir.resolve("a/proxy.control"), "127.0.0.1:" + control.getPort() + "\n");

            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out));
            int status = cli.execute("proxy-ctl", "--dir", dir.toString(), "--node", "a",
                    "-c", "show hconnections", "-c", "list plugins");
            assertThat(status).isZero();
            List<String> lines = List.of(out.toString().split("\n"));
            assertThat(lines.get(0).split("\\s+")).containsExactly("Name", "Status", "Inside", "Outside",
                    "CompressionRatio");
            assertThat(lines.get(1).split("\\s+")).containsExactly("r0-b-a", "Connecting", "0B", "0B", "1.000");
            assertThat(lines.subList(2, 4)).containsExactly("connection r0-b-a:", "\tzstd level 3");

            StringWriter bad = new StringWriter();
            int failed = new CommandLine(new Main()).setOut(new PrintWriter(bad))
                    .execute("proxy-ctl", "--control", "127.0.0.1:" + control.getPort(), "-c", "del connection zz");
            assertThat(failed).isEqualTo(1);
            assertThat(bad.toString()).startsWith("error: no connection zz");
        }
    }
}
