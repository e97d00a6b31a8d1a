package io.jdrbd.cli;

import io.jdrbd.blockdev.BlockDevice;
import io.jdrbd.blockdev.BlockDevices;
import io.jdrbd.blockdev.IoResult;
import io.jdrbd.blockdev.SizeParser;
import io.jdrbd.nbd.NbdExport;
import io.jdrbd.nbd.NbdServer;
import io.jdrbd.nbd.NbdServerConfig;
import io.jdrbd.nbd.NbdTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code jdrbd serve}: exports one block device over NBD, without replication (the counterpart of
 * nbdkit / qemu-nbd, and the performance baseline). Prints the NBD URI on the first line of
 * standard output, serves until SIGINT/SIGTERM, then stops accepting, flushes the device and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Export one block device over NBD (no replication) until SIGINT/SIGTERM.")
public final class ServeCommand implements Callable<Integer> {

    /** Exactly one backing store. */
    static final class Backing {
        @Option(names = "--file", paramLabel = "PATH",
                description = "Back the export with this file (created with --size when missing).")
        Path file;

        @Option(names = "--memory", description = "Back the export with a sparse memory disk (needs --size).")
        boolean memory;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Backing backing;

    @Option(names = "--size", paramLabel = "SIZE",
            description = "Device size; K/M/G/T suffixes are powers of 1024.")
    String size;

    @Option(names = "--port", defaultValue = "10809", description = "TCP port (0 picks a free one; default 10809).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--export", defaultValue = "",
            description = "Export name (default: the empty name); the empty name always reaches this export.")
    String exportName;

    @Option(names = "--description", defaultValue = "", description = "Export description shown by nbdinfo.")
    String description;

    @Option(names = "--read-only", description = "Refuse writes (EPERM).")
    boolean readOnly;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for STARTTLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8) for STARTTLS.")
    Path tlsKey;

    @Option(names = "--tls-required", description = "Refuse clients that do not start TLS.")
    boolean tlsRequired;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NbdServerConfig config = buildConfig();
        BlockDevice device = openDevice();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        NbdServer server;
        try {
            server = NbdServer.start(config);
        } catch (Exception e) {
            // Netty reports bind failures as (undeclared) IOExceptions.
            device.close();
            throw new IOException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        server.exports().add(new NbdExport(exportName, description, device, readOnly, 1,
                io.jdrbd.nbd.ExportAccessListener.ALLOW_ALL));
        server.exports().setDefaultExportName(exportName);
        PrintWriter out = spec.commandLine().getOut();
        out.println(server.uri(exportName));
        out.flush();
        stop.await();
        server.close();
        IoResult flushed = device.flush().join();
        device.close();
        if (!flushed.ok()) {
            spec.commandLine().getErr().println("jdrbd serve: flush on exit failed: " + flushed);
            return 1;
        }
        return 0;
    }

    private NbdServerConfig buildConfig() throws IOException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (tlsRequired && tlsCert == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-required needs --tls-cert and --tls-key");
        }
        NbdServerConfig.Builder builder = NbdServerConfig.builder().bindAddress(bind).port(port);
        if (tlsCert != null) {
            builder.tls(NbdTls.serverContext(tlsCert, tlsKey)).tlsRequired(tlsRequired);
        }
        return builder.build();
    }

    private BlockDevice openDevice() throws IOException {
        long sizeBytes = size == null ? -1 : SizeParser.parse(size, "--size");
        if (backing.memory && sizeBytes < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--memory needs --size");
        }
        String deviceSpec = backing.memory ? "memory" : "file:" + backing.file;
        if (!backing.memory && !Files.exists(backing.file) && sizeBytes < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--file " + backing.file + " does not exist; give --size to create it");
        }
        if (!backing.memory && Files.exists(backing.file) && !Files.isRegularFile(backing.file)) {
            deviceSpec = backing.file.toString();
        }
        try {
            return BlockDevices.open(deviceSpec, BlockDevices.Options.defaults().withSize(sizeBytes)
                    .withReadOnly(readOnly));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
        }
    }
}
