package io.jdrbd.node.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Talks to a node's {@link ControlServer}. A node's endpoint is found through its control file,
 * {@code DIR/NODE.control} (a local cluster's {@code --dir}, or the run directory of a node daemon).
 */
public final class ControlClient {

    /** The run directory of node daemons when none is given: {@code JDRBD_RUN_DIR}, else /run/jdrbd. */
    public static Path defaultRunDir() {
        String env = System.getenv("JDRBD_RUN_DIR");
        return Path.of(env != null && !env.isEmpty() ? env : "/run/jdrbd");
    }

    public static Path controlFile(Path dir, String node) {
        return dir.resolve(node + ".control");
    }

    /** The nodes with a control file in {@code dir}, sorted by name. */
    public static List<String> nodesIn(Path dir) throws IOException {
        List<String> nodes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return nodes;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.control")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                nodes.add(name.substring(0, name.length() - ".control".length()));
            }
        }
        nodes.sort(null);
        return nodes;
    }

    /** A response: HTTP status and body. */
    public record Reply(int status, String body) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ControlClient(String endpoint) {
        this.endpoint = endpoint;
    }

    /** The client of the node whose control file is {@code DIR/NODE.control}. */
    public static ControlClient forNode(Path dir, String node) throws IOException {
        Path file = controlFile(dir, node);
        if (!Files.exists(file)) {
            throw new IOException("no running node '" + node + "' in " + dir + " (missing " + file + ")");
        }
        return new ControlClient(Files.readString(file, StandardCharsets.UTF_8).trim());
    }

    public String endpoint() {
        return endpoint;
    }

    public Reply get(String path, Map<String, String> query) throws IOException {
        return send(HttpRequest.newBuilder(uri(path, query)).timeout(Duration.ofSeconds(90)).GET().build());
    }

    public Reply post(String path, Map<String, String> query) throws IOException {
        return send(HttpRequest.newBuilder(uri(path, query)).timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Streams {@code /events2} lines to {@code sink} until the stream ends (with now=1) or fails. */
    public void stream(String path, Map<String, String> query, Consumer<String> sink) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query)).GET().build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IOException(new String(response.body().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Reply send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("node control endpoint " + endpoint + " is not answering (is the node running?)",
                    e);
        }
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder text = new StringBuilder("http://").append(endpoint).append(path);
        char separator = '?';
        for (Map.Entry<String, String> entry : query.entrySet()) {
            text.append(separator).append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(text.toString());
    }
}
