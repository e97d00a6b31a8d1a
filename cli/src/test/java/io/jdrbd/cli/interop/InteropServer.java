package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.bench.ReferenceServers;
import io.jdrbd.cli.bench.ServerProcess;
import io.jdrbd.testsupport.ExternalPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A live NBD server for one interop test: a real {@code jdrbd serve} process started from the shaded jar
 * ({@code cli/target/jdrbd.jar}, built in the package phase before failsafe runs). With
 * {@code JDRBD_INTEROP_SERVER=nbdkit} the same tests run against {@code nbdkit memory} instead, which shows
 * that they check the NBD protocol's behaviour and not our own quirks.
 */
final class InteropServer implements AutoCloseable {

    private static final Path JAR = Path.of("target", "jdrbd.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ServerProcess process;
    private final Export export;
    private final int port;

    private InteropServer(ServerProcess process, Export export, int port) {
        this.process = process;
        this.export = export;
        this.port = port;
    }

    static InteropServer start(Export export, Path workDir) {
        Path log;
        try {
            log = Files.createTempFile(workDir, "server-" + export.name() + "-", ".log");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if ("nbdkit".equals(System.getenv("JDRBD_INTEROP_SERVER"))) {
            ExternalPrograms.require("nbdkit");
            ServerProcess nbdkit = ReferenceServers.startOnFreePort("nbdkit", log, START_TIMEOUT,
                    port -> nbdkitCommand(export, port));
            return new InteropServer(nbdkit, export, ServerProcess.portOf(nbdkit.uri()));
        }
        assertThat(JAR).as("the shaded CLI jar (built by `mvn package`, before failsafe runs)").exists();
        ServerProcess jdrbd = startJdrbd(export, log);
        return new InteropServer(jdrbd, export, ServerProcess.portOf(jdrbd.uri()));
    }

    private static ServerProcess startJdrbd(Export export, Path log) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = ServerProcess.freePort();
            try {
                return ServerProcess.startPrintingUri("jdrbd serve", jdrbdCommand(export, port), START_TIMEOUT, log);
            } catch (IllegalStateException e) {
                last = e; // someone took the port between our probe and the bind: try another
            }
        }
        throw last;
    }

    private static List<String> jdrbdCommand(Export export, int port) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-Xmx256m",
                "-jar", JAR.toString(), "serve"));
        if (export.file() != null) {
            command.addAll(List.of("--file", export.file().toString()));
        } else {
            command.addAll(List.of("--memory", "--size", Long.toString(export.sizeBytes())));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port), "--export", export.name()));
        if (export.readOnly()) {
            command.add("--read-only");
        }
        if (export.tlsDir() != null) {
            command.addAll(List.of("--tls-cert", export.tlsDir().resolve("server-cert.pem").toString(),
                    "--tls-key", export.tlsDir().resolve("server-key.pem").toString()));
            if (export.tlsRequired()) {
                command.add("--tls-required");
            }
        }
        return command;
    }

    private static List<String> nbdkitCommand(Export export, int port) {
        List<String> command = new ArrayList<>(List.of("nbdkit", "--exit-with-parent", "--foreground",
                "--ipaddr", "127.0.0.1", "--port", Integer.toString(port), "--exportname", export.name()));
        if (export.readOnly()) {
            command.add("--readonly");
        }
        if (export.tlsDir() != null) {
            command.add(export.tlsRequired() ? "--tls=require" : "--tls=on");
            command.add("--tls-certificates=" + export.tlsDir());
        }
        // the exportname filter makes nbdkit list the export under its name, as jdrbd serve does
        command.add("--filter=exportname");
        if (export.file() != null) {
            command.addAll(List.of("file", export.file().toString()));
        } else {
            command.addAll(List.of("memory", Long.toString(export.sizeBytes())));
        }
        command.addAll(List.of("exportname=" + export.name(), "exportname-list=explicit"));
        return command;
    }

    /** {@code nbd://127.0.0.1:PORT/NAME}, or {@code nbds://...} when the export uses TLS. */
    String uri() {
        return (export.tlsDir() != null ? "nbds" : "nbd") + "://127.0.0.1:" + port + "/" + export.name();
    }

    /** The URI without TLS, even for a TLS export (to check that plain clients are refused). */
    String plainUri() {
        return "nbd://127.0.0.1:" + port + "/" + export.name();
    }

    String printedUri() {
        return process.uri();
    }

    int port() {
        return port;
    }

    Export export() {
        return export;
    }

    /** The server's stdout/stderr, for failure messages. */
    String log() {
        try {
            return Files.readString(process.log());
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    ServerProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
