package io.jdrbd.node.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jdrbd.node.runtime.NodeRuntime;
import io.jdrbd.node.runtime.ResourceRuntime;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.engine.Events2Line;
import io.jdrbd.replication.engine.StateChangeResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's control endpoint, what {@code jdrbd adm} and {@code jdrbd setup} talk to: plain HTTP on
 * loopback. {@code POST /admin?res=R&verb=primary[&force=1][&peer=N][&clear-bitmap=1]} answers DRBD's
 * state change result ({@code 200} with {@code "1 SS_SUCCESS"}-style text, {@code 409} when refused);
 * {@code GET /status?res=R[&verbose=1][&statistics=1][&json=1]}; {@code GET /events2?res=R[&now=1][&timestamps=1]}
 * streams events2 lines; {@code GET /info} lists resources and their NBD URIs.
 */
public final class ControlServer implements AutoCloseable {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);
    /** Events a slow events2 reader may fall behind by before it is cut off. */
    private static final int MAX_QUEUED_EVENTS = 100_000;

    private final NodeRuntime node;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jdrbd-control");
        thread.setDaemon(true);
        return thread;
    });
    private final Runnable onShutdownRequest;

    public ControlServer(NodeRuntime node, String bind, int port, Runnable onShutdownRequest) throws IOException {
        this.node = node;
        this.onShutdownRequest = onShutdownRequest;
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.setExecutor(executor);
        server.createContext("/admin", exchange -> handle(exchange, this::admin));
        server.createContext("/status", exchange -> handle(exchange, this::status));
        server.createContext("/events2", exchange -> handle(exchange, this::events2));
        server.createContext("/info", exchange -> handle(exchange, this::info));
        server.createContext("/shutdown", exchange -> handle(exchange, ex -> {
            reply(ex, 200, "shutting down\n");
            onShutdownRequest.run();
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT}, what the control file holds. */
    public String endpoint() {
        return server.getAddress().getHostString() + ":" + port();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    private void handle(HttpExchange exchange, Handler handler) {
        // the error reply must be sent before the exchange closes (try-with-resources would close it first)
        try {
            handler.handle(exchange);
        } catch (UsageException e) {
            quietReply(exchange, 400, e.getMessage() + "\n");
        } catch (Exception e) {
            quietReply(exchange, 500, "internal error: " + e + "\n");
        } finally {
            exchange.close();
        }
    }

    private static void quietReply(HttpExchange exchange, int status, String body) {
        try {
            reply(exchange, status, body);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private void admin(HttpExchange exchange) throws Exception {
        Map<String, String> query = query(exchange);
        String verbWord = required(query, "verb");
        AdminVerb verb = null;
        for (AdminVerb candidate : AdminVerb.values()) {
            if (candidate.drbdName().equals(verbWord)) {
                verb = candidate;
            }
        }
        if (verb == null) {
            throw new UsageException("unknown admin verb '" + verbWord + "'");
        }
        int flags = (flag(query, "force") ? EngineInput.AdminCommand.FORCE : 0)
                | (flag(query, "clear-bitmap") ? EngineInput.AdminCommand.CLEAR_BITMAP : 0)
                | (flag(query, "discard-my-data") ? EngineInput.AdminCommand.DISCARD_MY_DATA : 0);
        int peer = query.containsKey("peer") ? Integer.parseInt(query.get("peer"))
                : EngineInput.AdminCommand.ALL_PEERS;
        StringBuilder out = new StringBuilder();
        boolean allOk = true;
        for (ResourceRuntime resource : selected(query)) {
            StateChangeResult result = resource.admin(verb, peer, flags).get(60, TimeUnit.SECONDS);
            allOk &= result.ok();
            out.append(resource.name()).append(' ').append(result.code()).append(' ').append(result.text())
                    .append('\n');
        }
        reply(exchange, allOk ? 200 : 409, out.toString());
    }

    private void status(HttpExchange exchange) throws Exception {
        Map<String, String> query = query(exchange);
        List<ResourceStatus> snapshots = new ArrayList<>();
        for (ResourceRuntime resource : selected(query)) {
            snapshots.add(ResourceStatus.of(resource).get(10, TimeUnit.SECONDS));
        }
        if (flag(query, "json")) {
            reply(exchange, 200, StatusJson.render(snapshots));
            return;
        }
        StringBuilder out = new StringBuilder();
        if (snapshots.isEmpty()) {
            out.append("# No currently configured DRBD found.\n");
        }
        for (ResourceStatus snapshot : snapshots) {
            out.append(StatusText.render(snapshot, flag(query, "verbose"), flag(query, "statistics")));
        }
        reply(exchange, 200, out.toString());
    }

    private void info(HttpExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("node ").append(node.options().hostName()).append('\n');
        for (ResourceRuntime resource : node.resources().values()) {
            out.append("resource ").append(resource.name()).append(' ').append(node.nbdUri(resource.name()))
                    .append('\n');
        }
        reply(exchange, 200, out.toString());
    }

    private void events2(HttpExchange exchange) throws Exception {
        Map<String, String> query = query(exchange);
        boolean timestamps = flag(query, "timestamps");
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(MAX_QUEUED_EVENTS);
        Consumer<Events2Line> listener = line -> queue.offer(line.text());
        List<ResourceRuntime> resources = selected(query);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        try {
            for (ResourceRuntime resource : resources) {
                // each resource's dump ends with its own "exists -"; the stream has one, after all of them
                resource.subscribe(listener, lines -> lines.stream().filter(line -> !line.equals("exists -"))
                        .forEach(queue::add))
                        .get(10, TimeUnit.SECONDS);
            }
            queue.add("exists -");
            boolean now = flag(query, "now");
            while (true) {
                String line = queue.poll(now ? 0 : 1, TimeUnit.SECONDS);
                if (line == null) {
                    if (now) {
                        break;
                    }
                    body.flush();
                    continue;
                }
                String stamped = timestamps ? OffsetDateTime.now().format(TIMESTAMP) + " " + line : line;
                body.write((stamped + "\n").getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    body.flush();
                }
            }
        } catch (IOException clientGone) {
            // the events2 reader stopped reading
        } finally {
            for (ResourceRuntime resource : resources) {
                resource.unsubscribe(listener);
            }
        }
    }

    private List<ResourceRuntime> selected(Map<String, String> query) throws UsageException {
        String name = query.getOrDefault("res", "all");
        if (name.equals("all")) {
            return new ArrayList<>(node.resources().values());
        }
        ResourceRuntime resource = node.resource(name);
        if (resource == null) {
            throw new UsageException("'" + name + "' not defined in your config (for this host).");
        }
        return List.of(resource);
    }

    private static String required(Map<String, String> query, String key) throws UsageException {
        String value = query.get(key);
        if (value == null) {
            throw new UsageException("missing parameter '" + key + "'");
        }
        return value;
    }

    private static boolean flag(Map<String, String> query, String key) {
        String value = query.get(key);
        return value != null && !value.equals("0") && !value.equals("no");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "1" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A request the endpoint cannot serve as asked; the message goes back to the caller. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
