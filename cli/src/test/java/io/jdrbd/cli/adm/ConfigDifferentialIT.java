package io.jdrbd.cli.adm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential test against drbdadm: mutations of the corpus files (a token deleted, duplicated or
 * replaced) must be accepted by both tools with the same dump, or refused by both.
 */
class ConfigDifferentialIT {

    private static final Path CORPUS = Path.of("..", "node", "src", "test", "resources", "config-corpus", "good")
            .toAbsolutePath().normalize();
    private static final List<String> WORDS = List.of(
            "{", "}", ";", "on", "alice", "net", "disk", "device", "minor", "0", "7", "40M", "meta-disk", "internal",
            "address", "10.0.0.9:7789", "node-id", "volume", "connection", "host", "path", "proxy", "options",
            "floating", "skip", "protocol", "C", "no-tcp-cork", "resync-rate", "quorum", "majority", "via", "port",
            "\"x y\"", "none", "/dev/drbd5", "[", "]", "1", "ipv6", "[fd00::5]:7000", "ipv6 [fd00::5]:7000",
            "floating", "stacked-on-top-of", "r0", "_this_host", "connection-mesh", "hosts", "site-a", "bob", "99",
            "-1", "1K", "65536", "x.res", "include", "volume 1 { }", "volume 0 { device minor 3; }", "disk { }",
            "net { }", "options { }", "proxy { }", "handlers { }", "startup { }", "syncer { }", "32", "33", "ssocks",
            "sdp", "sci", "_remote_host", "_peer_node_id", "_is_standalone", "template-file",
            "meta-disk /dev/x [1];", "flexible-meta-disk", "minor-count", "global { }", "common { }", "resource",
            "#", "\n", "stacked-timeouts;", "wfc-timeout 5;", "become-primary-on both;", "plugin { a b; }",
            "memlimit 1G;", "inside 127.0.0.1:1;", "outside 10.1.1.1:1;", "device /dev/drbd_x minor 9;",
            "address 10.0.0.5:1;", "host alice;", "al-extents 7;", "resync-after r0;", "on-io-error pass_on;");

    @Property(tries = 100)
    void mutatedCorpusFilesGetTheSameVerdictAndDump(@ForAll("mutants") String text) throws Exception {
        Path drbdadm = ExternalPrograms.require("drbdadm");
        Path dir = Files.createTempDirectory("jdrbd-diff");
        Path file = dir.resolve("m.res");
        try {
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            Process process = new ProcessBuilder(drbdadm.toString(), "-c", file.toString(), "dump")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String theirs = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            AdmRun ours = AdmRun.of("adm", "-c", file.toString(), "dump");
            assertThat(ours.status() == 0).as("drbdadm status %s, ours %s: %s\n--- input:\n%s", process.exitValue(),
                    ours.status(), ours.err(), text).isEqualTo(process.exitValue() == 0);
            net.jqwik.api.statistics.Statistics.collect(ours.status() == 0 ? "accepted" : "refused");
            if (ours.status() == 0) {
                assertThat(ours.out()).isEqualTo(theirs);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Provide
    Arbitrary<String> mutants() {
        Arbitrary<String> file = Arbitraries.of(corpus());
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        Arbitrary<String> word = Arbitraries.of(WORDS);
        Arbitrary<String> once = Combinators.combine(file, position, kind, word).as(ConfigDifferentialIT::mutate);
        return Combinators.combine(once, position, kind, word).as(ConfigDifferentialIT::mutate);
    }

    private static String mutate(String text, int position, int kind, String word) {
        String[] tokens = text.split("(?<=[\\s{};])|(?=[\\s{};])");
        List<Integer> words = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (!tokens[i].isBlank()) {
                words.add(i);
            }
        }
        int at = words.get(position % words.size());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            if (i == at) {
                if (kind == 0) {
                    continue;
                }
                out.append(kind == 1 ? tokens[i] + " " : word + " ");
                if (kind == 2) {
                    continue;
                }
            }
            out.append(tokens[i]);
        }
        return out.toString();
    }

    private static List<String> corpus() {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".res")).sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
