package io.jdrbd.node.config;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential test of "up" against drbdadm: a corpus file with one host renamed to this machine
 * and one token mutated; {@code drbdadm -d up RES} and {@link UpPlan} print the same commands, or
 * both refuse.
 */
class UpPlanDifferentialIT {

    private static final Path GOOD = Path.of("src", "test", "resources", "config-corpus", "good").toAbsolutePath();
    private static final List<String> FILES = List.of("two-node-84.res", "mesh-three-node.res", "volumes.res",
            "proxy.res", "proxy-via.res", "handlers.res", "ipv6.res", "every-option.res");
    private static final List<String> WORDS = List.of("{", "}", ";", "net", "disk", "device", "minor", "0", "7",
            "40M", "meta-disk", "internal", "node-id", "volume", "protocol", "C", "A", "no-tcp-cork;",
            "resync-rate 10M;", "disk { c-plan-ahead 5; }", "net { ping-int 4; }", "options { quorum 2; }",
            "disk none;", "volume 1 { device minor 9; disk /dev/x; }", "on-io-error pass_on;", "al-extents 99;",
            "max-buffers 100;", "bitmap no;", "\"x y\"", "#", "skip { }", "flexible-meta-disk /dev/m;",
            "meta-disk /dev/m [2];");

    /** One case: the file's text, the host to rename, the resource to bring up, and a mutation. */
    record Case(String file, String host, String resource, int position, int kind, String word) {
    }

    @Property(tries = 60)
    void upGivesTheSameCommandsAsDrbdadm(@ForAll("cases") Case c) throws Exception {
        Path drbdadm = ExternalPrograms.require("drbdadm");
        String me = HostNames.local();
        String text = Files.readString(GOOD.resolve(c.file()), StandardCharsets.ISO_8859_1);
        text = Pattern.compile("(?<![\\w.-])" + Pattern.quote(c.host()) + "(?![\\w.-])").matcher(text)
                .replaceAll(Matcher.quoteReplacement(me));
        text = mutate(text, c.position(), c.kind(), c.word());
        Path dir = Files.createTempDirectory("jdrbd-up");
        Path file = dir.resolve("m.res");
        try {
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            String theirs = drbdadm(drbdadm, file, c.resource());
            String ours = ours(file, me, c.resource());
            Statistics.collect(ours.equals("refused") ? "refused" : "up");
            assertThat(ours).as("input:\n%s", text).isEqualTo(theirs);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Provide
    Arbitrary<Case> cases() throws ConfigException {
        List<Case> bases = new ArrayList<>();
        for (String name : FILES) {
            DrbdConfig config = DrbdConfig.parse(GOOD.resolve(name), "nobody");
            for (Resource resource : config.resources()) {
                for (Host host : resource.hosts()) {
                    if (host.kind() == Host.Kind.ON) {
                        bases.add(new Case(name, host.names().get(0), resource.name(), 0, 0, ""));
                    }
                }
            }
        }
        return Combinators.combine(Arbitraries.of(bases), Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 3), Arbitraries.of(WORDS))
                .as((b, position, kind, word) -> new Case(b.file(), b.host(), b.resource(), position, kind, word));
    }

    /** Deletes, duplicates or replaces one token, or (kind 3) leaves the text as it is. */
    private static String mutate(String text, int position, int kind, String word) {
        if (kind == 3) {
            return text;
        }
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
            if (i == at && kind == 0) {
                continue;
            }
            if (i == at) {
                out.append(kind == 1 ? tokens[i] : word).append(' ');
                if (kind == 2) {
                    continue;
                }
            }
            out.append(tokens[i]);
        }
        return out.toString();
    }

    private static String ours(Path file, String hostname, String resource) {
        try {
            StringBuilder out = new StringBuilder();
            for (List<String> command : UpPlan.commands(DrbdConfig.parse(file, hostname), resource)) {
                out.append(UpPlan.render(command)).append('\n');
            }
            return out.toString();
        } catch (ConfigException e) {
            return "refused";
        }
    }

    private static String drbdadm(Path drbdadm, Path file, String resource) {
        try {
            Process process = new ProcessBuilder(drbdadm.toString(), "-c", file.toString(), "-d", "up", resource)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String programDir = Pattern.quote(drbdadm.getParent() + "/");
            return process.exitValue() == 0 ? out.replaceAll("(?m)^" + programDir, "") : "refused";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
