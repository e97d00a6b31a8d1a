package io.jdrbd.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which process listens on a TCP port, from Linux's /proc: the socket inodes of /proc/net/tcp{,6} in state
 * LISTEN, matched against the {@code socket:[inode]} links of a process's file descriptors. The bench uses it
 * to make sure the server answering on a port is the one it started, not a leftover from another run.
 */
public final class ListeningSockets {

    private static final String TCP_LISTEN = "0A";
    private static final Path PROC = Path.of("/proc");

    private ListeningSockets() {
    }

    /** Socket inodes listening on {@code port}, parsed from the text of /proc/net/tcp or /proc/net/tcp6. */
    public static Set<Long> listeningInodes(String procNetTcp, int port) {
        Set<Long> inodes = new HashSet<>();
        for (String line : procNetTcp.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            if (fields.length < 10 || !fields[0].endsWith(":")) {
                continue;
            }
            String local = fields[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0 || !TCP_LISTEN.equals(fields[3])) {
                continue;
            }
            if (Integer.parseInt(local.substring(colon + 1), 16) == port) {
                inodes.add(Long.parseLong(fields[9]));
            }
        }
        return inodes;
    }

    /** Socket inodes listening on {@code port} on this machine (IPv4 and IPv6); empty if none or not Linux. */
    public static Set<Long> listeningInodes(int port) {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path path = PROC.resolve(table);
            if (Files.isReadable(path)) {
                try {
                    inodes.addAll(listeningInodes(Files.readString(path), port));
                } catch (IOException e) {
                    // a table we cannot read holds no answer; the caller reports "nobody listens"
                }
            }
        }
        return inodes;
    }

    /** True when {@code process} or one of its descendants holds a socket listening on {@code port}. */
    public static boolean isListening(ProcessHandle process, int port) {
        Set<Long> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return false;
        }
        List<ProcessHandle> candidates = Stream.concat(Stream.of(process), process.descendants())
                .collect(Collectors.toList());
        for (ProcessHandle candidate : candidates) {
            if (!socketInodes(candidate.pid()).stream().filter(inodes::contains).findAny().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether another process (not {@code process} or its descendants) already listens on {@code port}. */
    public static boolean isTakenByAnother(ProcessHandle process, int port) {
        return !listeningInodes(port).isEmpty() && !isListening(process, port);
    }

    private static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                String target = readLinkOrEmpty(fd);
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                }
            }
        } catch (IOException e) {
            // the process exited or is not ours to inspect: it holds no socket we can see
        }
        return inodes;
    }

    private static String readLinkOrEmpty(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
