package io.jdrbd.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * drbd-proxy-ctl's commands against a {@link ProxyServer}: one line in, the reply text out.
 * Errors are replies starting with {@code error: }; nothing here throws for bad input.
 */
public final class ControlCommands {

    /** memlimit of a connection added without {@code set memlimit}: DRBD Proxy's default of 16 MiB. */
    public static final long DEFAULT_MEMLIMIT_BYTES = 16L << 20;

    static final String HELP = String.join("\n",
            "add connection <name> <ip-listen1>:<port> <ip-connect1>:<port> <ip-listen2>:<port> <ip-connect2>:<port>",
            "   listen1: inside (the node connects here), connect1: the peer proxy's outside,",
            "   listen2: outside (the peer proxy connects here), connect2: the local node.",
            "set memlimit <name> <memlimit-in-bytes>",
            "set plugin <name> [<index>] zstd|zlib|lz4 level <N> | END   (zlib/lz4 map to a zstd level)",
            "set compression <name> on|off",
            "del connection <name>",
            "show",
            "show memusage",
            "show [h]connections",
            "list [h]subconnections",
            "list [h]connections",
            "list details",
            "list plugins",
            "quit",
            "shutdown");

    /** What the control server does after replying. */
    public enum After { CONTINUE, QUIT, SHUTDOWN }

    /** The reply text (lines joined by newlines, no trailing newline) and what to do next. */
    public record Reply(String text, After after) {
    }

    private final ProxyServer server;

    public ControlCommands(ProxyServer server) {
        this.server = server;
    }

    public Reply execute(String line) {
        String[] words = line.trim().split("\\s+");
        String command = String.join(" ", List.of(words).subList(0, Math.min(2, words.length)))
                .toLowerCase(Locale.ROOT);
        try {
            switch (command) {
                case "quit": case "exit": return new Reply("", After.QUIT);
                case "shutdown": return new Reply("shutting down", After.SHUTDOWN);
                case "help": case "": return ok(HELP);
                case "add connection": return ok(add(words));
                case "set memlimit": return ok(setMemlimit(words));
                case "set plugin": return ok(setPlugin(words));
                case "set compression": return ok(setCompression(words));
                case "del connection": return ok(delete(words));
                case "show": return ok(ControlReports.show(server.connections()));
                case "show memusage": return ok(ControlReports.memusage(server.connections()));
                case "show connections": case "list connections":
                    return ok(ControlReports.connections(server.connections(), false));
                case "show hconnections": case "list hconnections":
                    return ok(ControlReports.connections(server.connections(), true));
                case "list subconnections": return ok(ControlReports.subconnections(server.connections(), false));
                case "list hsubconnections": return ok(ControlReports.subconnections(server.connections(), true));
                case "list details": return ok(ControlReports.details(server.connections()));
                case "list plugins": return ok(ControlReports.plugins(server.connections()));
                default: return ok("error: unknown command '" + line.trim() + "'; try help");
            }
        } catch (RuntimeException e) {
            return ok("error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ok("error: interrupted");
        }
    }

    private static Reply ok(String text) {
        return new Reply(text, After.CONTINUE);
    }

    private String add(String[] words) throws InterruptedException {
        if (words.length != 7) {
            throw new IllegalArgumentException("usage: add connection <name> <ip-listen1>:<port> <ip-connect1>:<port> "
                    + "<ip-listen2>:<port> <ip-connect2>:<port>");
        }
        ProxyConnectionSpec spec = new ProxyConnectionSpec(words[2], address(words[3]), address(words[5]),
                address(words[4]), address(words[6]), null, DEFAULT_MEMLIMIT_BYTES, 0);
        server.addConnection(spec);
        return "connection " + spec.name() + " added";
    }

    private String setMemlimit(String[] words) {
        if (words.length != 4) {
            throw new IllegalArgumentException("usage: set memlimit <name> <memlimit-in-bytes>");
        }
        long bytes = ProxySizes.parse(words[3]);
        server.setMemlimit(words[2], bytes);
        return "memlimit of " + words[2] + " set to " + bytes;
    }

    /**
     * {@code set plugin <name> [<index>] <plugin line>} as drbdadm sends it ({@code set plugin r0-a-b 0
     * zstd level 3}, then {@code set plugin r0-a-b 1 END}); one compression plugin is used.
     */
    private String setPlugin(String[] words) {
        int first = 3;
        if (words.length > first && words[first].chars().allMatch(Character::isDigit)) {
            first++;
        }
        if (words.length <= first) {
            throw new IllegalArgumentException("usage: set plugin <name> [<index>] zstd|zlib|lz4 level <N> | END");
        }
        String plugin = String.join(" ", List.of(words).subList(first, words.length));
        if (plugin.equalsIgnoreCase("end")) {
            server.connectionStatus(words[2]);
            return "connection " + words[2] + ": plugin list ends";
        }
        Integer level = CompressionLevels.fromPluginLine(plugin);
        if (level == null) {
            throw new IllegalArgumentException("plugin '" + plugin + "' is not a compression plugin");
        }
        server.updateConnection(words[2], spec -> spec.withZstdLevel(level));
        return "connection " + words[2] + ": zstd level " + level + " (for sockets opened from now on)";
    }

    /** {@code set compression <name> on|off} (DRBD Proxy v1..v3's switch). */
    private String setCompression(String[] words) {
        if (words.length != 4) {
            throw new IllegalArgumentException("usage: set compression <name> on|off");
        }
        int level = CompressionLevels.fromSettings(words[3], List.of());
        server.updateConnection(words[2], spec -> spec.withZstdLevel(level));
        return "connection " + words[2] + ": zstd level " + level + " (for sockets opened from now on)";
    }

    private String delete(String[] words) {
        if (words.length != 3) {
            throw new IllegalArgumentException("usage: del connection <name>");
        }
        server.removeConnection(words[2]);
        return "connection " + words[2] + " deleted";
    }

    /** {@code HOST:PORT} or {@code [V6]:PORT}, resolved without DNS for literal addresses. */
    public static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("address '" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + text + "': port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address '" + text + "': port outside 0..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address '" + text + "': unknown host " + host);
        }
    }
}
