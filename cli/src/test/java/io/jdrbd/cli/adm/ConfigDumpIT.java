package io.jdrbd.cli.adm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config corpus through both tools: {@code drbdadm -c FILE dump} (drbd-utils) and
 * {@code jdrbd adm -c FILE dump} print the same text for every good file, and both refuse every bad
 * file, ours naming the file and the line at fault.
 */
class ConfigDumpIT {

    private static final Path CORPUS = Path.of("..", "node", "src", "test", "resources", "config-corpus")
            .toAbsolutePath().normalize();

    /** The line our message must name for each bad file. */
    private static final Map<String, Integer> BAD_LINES = Map.ofEntries(
            Map.entry("unknown-option.res", 4),
            Map.entry("bad-unit.res", 5),
            Map.entry("bad-enum.res", 6),
            Map.entry("out-of-range.res", 6),
            Map.entry("node-id-out-of-range.res", 5),
            Map.entry("port-out-of-range.res", 5),
            Map.entry("missing-address.res", 5),
            Map.entry("duplicate-minor.res", 9),
            Map.entry("duplicate-node-id.res", 10),
            Map.entry("duplicate-resource.res", 5),
            Map.entry("missing-include.res", 1),
            Map.entry("mixed-volumes.res", 9),
            Map.entry("shared-address.res", 8),
            Map.entry("unterminated-string.res", 4),
            Map.entry("proxy-compression-on.res", 8));

    static Stream<Path> goodFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS.resolve("good"))) {
            return files.filter(p -> p.toString().endsWith(".res") || p.toString().endsWith(".conf"))
                    .sorted().toList().stream();
        }
    }

    static Stream<String> badFiles() {
        return BAD_LINES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void dumpsExactlyLikeDrbdadm(Path file) throws Exception {
        ToolRun drbdadm = drbdadm("-c", file.toString(), "dump");
        assertThat(drbdadm.status).as("drbdadm: %s", drbdadm.err).isZero();
        AdmRun ours = AdmRun.of("adm", "-c", file.toString(), "dump");
        assertThat(ours.status()).as("jdrbd: %s", ours.err()).isZero();
        assertThat(normalizeHeader(ours.out())).isEqualTo(normalizeHeader(drbdadm.out));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badFilesAreRefusedByBothAndOursNamesFileAndLine(String name) throws Exception {
        Path file = CORPUS.resolve("bad").resolve(name);
        ToolRun drbdadm = drbdadm("-c", file.toString(), "dump");
        assertThat(drbdadm.status).as("drbdadm accepted %s", name).isNotZero();
        AdmRun ours = AdmRun.of("adm", "-c", file.toString(), "dump");
        assertThat(ours.status()).isEqualTo(AdmCommand.EXIT_CONFIG_INVALID);
        assertThat(ours.out()).isEmpty();
        assertThat(ours.err()).startsWith(file + ":" + BAD_LINES.get(name) + ":");
        assertThat(ours.err().strip()).doesNotContain("\n");
    }

    @Test
    void dumpOfOneResourceOnItsHostMatchesDrbdadm(@TempDir Path dir) throws Exception {
        String host = hostname();
        Path file = dir.resolve("one.res");
        // loopback addresses: drbdadm checks that "this host"'s address exists here
        Files.writeString(file, "resource one {\n  device minor 90; disk /dev/vg/one; meta-disk internal;\n"
                + "  net { protocol B; }\n  on " + host + " { address 127.0.0.1:7090; }\n"
                + "  on remote-peer { address 127.0.0.2:7090; }\n}\n");
        ToolRun drbdadm = drbdadm("-c", file.toString(), "dump", "one");
        assertThat(drbdadm.status).as("drbdadm: %s", drbdadm.err).isZero();
        AdmRun ours = AdmRun.of("adm", "-c", file.toString(), "dump", "one");
        assertThat(ours.status()).as(ours.err()).isZero();
        assertThat(ours.out()).isEqualTo(drbdadm.out).contains("not ignored");
        assertThat(AdmRun.of("adm", "-c", file.toString(), "dump", "other").status()).isNotZero();
    }

    @Test
    void thisHostsAddressMustBeOnThisMachineForAFullDump(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ip.res");
        Files.writeString(file, "resource r0 { device minor 3; disk /x; on " + hostname()
                + " { node-id 0; address 192.0.2.1:7789; } on bob { node-id 1; address 10.0.0.2:7789; } }\n");
        assertThat(drbdadm("-c", file.toString(), "dump").status).isNotZero();
        assertThat(AdmRun.of("adm", "-c", file.toString(), "dump").status()).isEqualTo(AdmCommand.EXIT_CONFIG_INVALID);
        ToolRun theirs = drbdadm("-c", file.toString(), "dump", "r0");
        AdmRun ours = AdmRun.of("adm", "-c", file.toString(), "dump", "r0");
        assertThat(theirs.status).isZero();
        assertThat(ours.status()).isZero();
        assertThat(ours.out()).isEqualTo(theirs.out);
    }

    @Test
    void theShadedJarDumpsLikeDrbdadm() throws Exception {
        Path jar = Path.of("target", "jdrbd.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path file = CORPUS.resolve("good").resolve("volumes.res");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "adm", "-c", file.toString(),
                "dump").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String ours = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(ours).isEqualTo(drbdadm("-c", file.toString(), "dump").out);
    }

    /** The header comments name the file and this host; both tools agree on them, but keep them out of the diff. */
    private static String normalizeHeader(String dump) {
        return dump.lines().filter(line -> !line.startsWith("# "))
                .reduce(new StringBuilder(), (sb, line) -> sb.append(line).append('\n'), StringBuilder::append)
                .toString();
    }

    private static String hostname() throws Exception {
        Process process = new ProcessBuilder("uname", "-n").start();
        String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(10, TimeUnit.SECONDS);
        return name;
    }

    private record ToolRun(int status, String out, String err) {
    }

    private static ToolRun drbdadm(String... args) throws Exception {
        Path drbdadm = ExternalPrograms.require("drbdadm");
        List<String> command = new java.util.ArrayList<>(List.of(drbdadm.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null"))).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ToolRun(process.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err, StandardCharsets.UTF_8));
    }
}
