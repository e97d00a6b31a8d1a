package io.jdrbd.node.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host name rules of drbdadm: which name this machine has and when two names mean the same host. */
public final class HostNames {

    private HostNames() {
    }

    /**
     * Equal when both are fully qualified and equal, or when one is short and the host parts are
     * equal; case does not matter (DNS names are case-insensitive).
     */
    public static boolean equal(String a, String b) {
        int dotA = a.indexOf('.');
        int dotB = b.indexOf('.');
        if (dotA >= 0 && dotB >= 0) {
            return a.equalsIgnoreCase(b);
        }
        String shortA = dotA >= 0 ? a.substring(0, dotA) : a;
        String shortB = dotB >= 0 ? b.substring(0, dotB) : b;
        return shortA.equalsIgnoreCase(shortB);
    }

    /** This machine's node name ({@code uname -n}), as drbdadm's gethostname() sees it. */
    public static String local() {
        try {
            Path kernelHostname = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernelHostname)) {
                return Files.readString(kernelHostname, StandardCharsets.UTF_8).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
