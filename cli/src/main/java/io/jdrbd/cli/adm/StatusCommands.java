package io.jdrbd.cli.adm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jdrbd.node.control.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * drbdadm's read-only commands against a running node: {@code status} (drbdsetup's text, verbatim
 * from the node), {@code role}, {@code cstate} and {@code dstate} in drbdsetup's one-line formats
 * ({@code Primary}; one {@code Connected} line per connection; {@code UpToDate/UpToDate}).
 */
public final class StatusCommands {

    private StatusCommands() {
    }

    /** drbdsetup's exit status for an unknown object. */
    public static final int EXIT_NO_SUCH_OBJECT = 10;

    /**
     * Prints {@code drbdsetup status} of {@code resource} ("all" for every one) as the node renders it;
     * returns the exit status. An unknown resource prints {@code RES: No such resource}, exit 10.
     */
    public static int printStatus(ControlClient client, String resource, boolean verbose, boolean statistics,
                                  boolean json, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("res", resource);
        if (verbose) {
            query.put("verbose", "1");
        }
        if (statistics) {
            query.put("statistics", "1");
        }
        if (json) {
            query.put("json", "1");
        }
        ControlClient.Reply reply = client.get("/status", query);
        if (reply.status() == 400) {
            err.println(resource + ": No such resource");
            return EXIT_NO_SUCH_OBJECT;
        }
        if (!reply.ok()) {
            err.print(reply.body());
            return 20;
        }
        out.print(reply.body());
        out.flush();
        return 0;
    }

    /** The {@code status --json} document of one resource, or null (and a message) when there is none. */
    static JsonNode statusJson(ControlClient client, String resource, PrintStream err) throws IOException {
        ControlClient.Reply reply = client.get("/status", Map.of("res", resource, "json", "1"));
        if (reply.status() == 400) {
            err.println(resource + ": No such resource");
            return null;
        }
        if (!reply.ok()) {
            err.print(reply.body());
            return null;
        }
        JsonNode all = new ObjectMapper().readTree(reply.body());
        return all.size() == 0 ? null : all.get(0);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the resource's state, like drbdadm status (drbdsetup status).")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AdmCommand adm;

        @Parameters(index = "0", arity = "0..1", paramLabel = "RESOURCE", defaultValue = "all",
                description = "A resource name, or 'all' (default).")
        String resource;

        @Option(names = {"-v", "--verbose"}, description = "All fields.")
        boolean verbose;

        @Option(names = {"-s", "--statistics"}, description = "With I/O statistics.")
        boolean statistics;

        @Option(names = {"-j", "--json"}, description = "As JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (adm.dryRun()) {
                System.out.println("drbdsetup status" + (resource.equals("all") ? "" : " " + resource)
                        + (verbose ? " --verbose" : "") + (statistics ? " --statistics" : "")
                        + (json ? " --json" : ""));
                return 0;
            }
            return printStatus(adm.nodeClient(), resource, verbose, statistics, json, System.out, System.err);
        }
    }

    /** role, cstate, dstate: one resource, printed from the status document. */
    abstract static class Query implements Callable<Integer> {
        @ParentCommand
        AdmCommand adm;

        @Parameters(index = "0", paramLabel = "RESOURCE", description = "A resource name.")
        String resource;

        abstract String drbdsetupLine();

        abstract void print(JsonNode status, PrintStream out);

        @Override
        public Integer call() throws IOException {
            if (adm.dryRun()) {
                System.out.println(drbdsetupLine());
                return 0;
            }
            JsonNode status = statusJson(adm.nodeClient(), resource, System.err);
            if (status == null) {
                return EXIT_NO_SUCH_OBJECT;
            }
            print(status, System.out);
            return 0;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true, description = "Print the resource's role.")
    static final class RoleQuery extends Query {
        @Override
        String drbdsetupLine() {
            return "drbdsetup role " + resource;
        }

        @Override
        void print(JsonNode status, PrintStream out) {
            out.println(status.get("role").asText());
        }
    }

    @Command(name = "cstate", mixinStandardHelpOptions = true,
            description = "Print the connection state, one line per connection.")
    static final class CstateQuery extends Query {
        @Override
        String drbdsetupLine() {
            return "drbdsetup cstate " + resource;
        }

        @Override
        void print(JsonNode status, PrintStream out) {
            for (JsonNode connection : status.get("connections")) {
                out.println(connection.get("connection-state").asText());
            }
        }
    }

    @Command(name = "dstate", mixinStandardHelpOptions = true,
            description = "Print the disk states: local, then each peer's (UpToDate/UpToDate).")
    static final class DstateQuery extends Query {
        @Override
        String drbdsetupLine() {
            return "drbdsetup dstate " + resource;
        }

        @Override
        void print(JsonNode status, PrintStream out) {
            for (JsonNode device : status.get("devices")) {
                StringBuilder line = new StringBuilder(device.get("disk-state").asText());
                int volume = device.get("volume").asInt();
                for (JsonNode connection : status.get("connections")) {
                    for (JsonNode peerDevice : connection.get("peer_devices")) {
                        if (peerDevice.get("volume").asInt() == volume) {
                            line.append('/').append(peerDevice.get("peer-disk-state").asText());
                        }
                    }
                }
                out.println(line);
            }
        }
    }
}
