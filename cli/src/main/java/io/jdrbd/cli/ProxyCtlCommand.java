package io.jdrbd.cli;

import io.jdrbd.proxy.ControlCommands;
import io.jdrbd.proxy.ProxyControlClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jdrbd proxy-ctl}: drbd-proxy-ctl. With {@code -c COMMAND} (repeatable) runs those commands;
 * without, reads commands from standard input, one per line, until {@code quit} or end of input.
 */
@Command(name = "proxy-ctl", mixinStandardHelpOptions = true,
        description = "Control a running jdrbd proxy with drbd-proxy-ctl's commands (try -c help).")
public final class ProxyCtlCommand implements Callable<Integer> {

    @Option(names = {"-c", "--command"}, paramLabel = "COMMAND", description = "Run COMMAND and exit (repeatable).")
    List<String> commands;

    @Option(names = "--control", paramLabel = "HOST:PORT",
            description = "The proxy's control port (default 127.0.0.1:" + ProxyCommand.DEFAULT_CONTROL_PORT + ").")
    String control;

    @Option(names = "--control-file", paramLabel = "FILE", description = "Read HOST:PORT from FILE (as written by "
            + "jdrbd proxy --control-file).")
    Path controlFile;

    @Option(names = "--dir", paramLabel = "DIR", description = "A local cluster's directory: with --node, use "
            + "DIR/NODE/proxy.control.")
    Path dir;

    @Option(names = "--node", paramLabel = "NAME", description = "The node of a local cluster (with --dir).")
    String node;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = ControlCommands.address(controlAddress());
        PrintWriter out = spec.commandLine().getOut();
        int status = 0;
        try (ProxyControlClient client = new ProxyControlClient(address)) {
            if (commands != null && !commands.isEmpty()) {
                for (String command : commands) {
                    status |= print(out, client.execute(command));
                }
                return status;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                status |= print(out, client.execute(line));
                String word = line.trim();
                if (word.equals("quit") || word.equals("exit") || word.equals("shutdown")) {
                    break;
                }
            }
        }
        return status;
    }

    private static int print(PrintWriter out, String reply) {
        if (!reply.isEmpty()) {
            out.println(reply);
        }
        out.flush();
        return reply.startsWith("error:") ? 1 : 0;
    }

    private String controlAddress() throws java.io.IOException {
        if (control != null) {
            return control;
        }
        Path file = controlFile;
        if (file == null && dir != null) {
            if (node == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dir needs --node NAME");
            }
            file = dir.resolve(node).resolve("proxy.control");
        }
        if (file != null) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        return "127.0.0.1:" + ProxyCommand.DEFAULT_CONTROL_PORT;
    }
}
