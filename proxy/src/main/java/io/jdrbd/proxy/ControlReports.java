package io.jdrbd.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/** The text drbd-proxy-ctl's reporting commands print: whitespace-separated columns under a header. */
final class ControlReports {

    private ControlReports() {
    }

    /** The configuration as the commands that would recreate it. */
    static String show(List<ConnectionStatus> connections) {
        List<String> lines = new ArrayList<>();
        for (ConnectionStatus c : connections) {
            ProxyConnectionSpec s = c.spec();
            lines.add("add connection " + s.name() + " " + text(c.insideAddress().getAddress().getHostAddress(),
                    c.insideAddress().getPort()) + " " + text(s.outsidePeer()) + " "
                    + text(c.outsideAddress().getAddress().getHostAddress(), c.outsideAddress().getPort()) + " "
                    + text(s.insideTarget()));
            lines.add("set memlimit " + s.name() + " " + s.memlimitBytes());
            if (s.zstdLevel() > 0) {
                lines.add("set plugin " + s.name() + " zstd level " + s.zstdLevel());
            }
        }
        return String.join("\n", lines);
    }

    static String memusage(List<ConnectionStatus> connections) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Used", "Limit", "Fill%", "Peak", "BlockedSeconds", "BlockedNow"});
        for (ConnectionStatus c : connections) {
            ConnectionStats.Snapshot st = c.stats();
            long limit = c.spec().memlimitBytes();
            rows.add(new String[] {c.spec().name(), Long.toString(st.heldBytes()), Long.toString(limit),
                String.format(Locale.ROOT, "%.1f", 100.0 * st.heldBytes() / limit), Long.toString(st.heldPeakBytes()),
                String.format(Locale.ROOT, "%.3f", st.blockedNanos() / 1e9),
                Boolean.toString(st.heldBytes() >= limit)});
        }
        return table(rows);
    }

    static String connections(List<ConnectionStatus> connections, boolean human) {
        LongFunction<String> bytes = human ? ProxySizes::human : Long::toString;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Status", "Inside", "Outside", "CompressionRatio"});
        for (ConnectionStatus c : connections) {
            ConnectionStats.Snapshot st = c.stats();
            rows.add(new String[] {c.spec().name(), c.statusWord(), bytes.apply(st.insideReadBytes()),
                bytes.apply(st.outsideWrittenBytes()), String.format(Locale.ROOT, "%.3f", st.compressionRatio())});
        }
        return table(rows);
    }

    static String subconnections(List<ConnectionStatus> connections, boolean human) {
        LongFunction<String> bytes = human ? ProxySizes::human : Long::toString;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Socket", "FromNode", "ToPeer", "ToNode", "Buffered"});
        for (ConnectionStatus c : connections) {
            for (ConnectionStatus.Socket s : c.sockets()) {
                rows.add(new String[] {c.spec().name(), s.label(), bytes.apply(s.insideReadBytes()),
                    bytes.apply(s.outsideWrittenBytes()), bytes.apply(s.insideWrittenBytes()),
                    bytes.apply(s.heldBytes())});
            }
        }
        return table(rows);
    }

    static String details(List<ConnectionStatus> connections) {
        List<String> lines = new ArrayList<>();
        for (ConnectionStatus c : connections) {
            ConnectionStats.Snapshot st = c.stats();
            lines.add("connection " + c.spec().name() + ": " + c.statusWord() + ", " + c.sockets().size()
                    + " sockets");
            lines.add("  inside-read-bytes " + st.insideReadBytes());
            lines.add("  outside-written-bytes " + st.outsideWrittenBytes());
            lines.add("  outside-written-raw-bytes " + st.outsideWrittenRawBytes());
            lines.add("  outside-read-bytes " + st.outsideReadBytes());
            lines.add("  inside-written-bytes " + st.insideWrittenBytes());
            lines.add("  blocks-compressed " + st.blocksCompressed());
            lines.add("  blocks-raw " + st.blocksRaw());
            lines.add("  buffered-bytes " + st.heldBytes());
            lines.add("  buffered-peak-bytes " + st.heldPeakBytes());
            lines.add("  blocked-episodes " + st.blockedEpisodes());
            lines.add(String.format(Locale.ROOT, "  blocked-seconds %.3f", st.blockedNanos() / 1e9));
            lines.add("  sockets-opened " + st.tunnelsOpened());
            lines.add("  peer-losses " + st.peerLosses());
            for (ConnectionStatus.Socket socket : c.sockets()) {
                lines.add("  socket " + socket.label() + (socket.parsed() ? "" : " (not DRBD packets; counts stop)"));
                lines.add("    from-node " + packets(socket.packetsFromNode()));
                lines.add("    to-node " + packets(socket.packetsToNode()));
            }
            for (String event : c.events()) {
                lines.add("  event " + event);
            }
        }
        return String.join("\n", lines);
    }

    private static String packets(java.util.Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((name, count) -> parts.add(name + "=" + count));
        return String.join(" ", parts);
    }

    static String plugins(List<ConnectionStatus> connections) {
        List<String> lines = new ArrayList<>();
        for (ConnectionStatus c : connections) {
            lines.add("connection " + c.spec().name() + ":");
            lines.add(c.spec().zstdLevel() == 0 ? "\tno compression" : "\tzstd level " + c.spec().zstdLevel());
        }
        return String.join("\n", lines);
    }

    private static String text(java.net.InetSocketAddress address) {
        return text(address.getAddress().getHostAddress(), address.getPort());
    }

    private static String text(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return String.join("\n", lines);
    }
}
