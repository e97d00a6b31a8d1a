package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text it is given, the parser either returns a model or throws a ConfigException that
 * names a place in the text; it never fails any other way. Inputs are random token soups and
 * mutations (deleted, duplicated, replaced tokens) of the corpus files.
 */
class ConfigProperties {

    private static final List<String> WORDS = List.of("resource", "r0", "on", "alice", "bob", "{", "}", ";", "[",
            "]", ":", "net", "disk", "device", "minor", "0", "7", "40M", "meta-disk", "internal", "address",
            "10.0.0.1:7789", "ipv6", "[fd00::1]:7000", "node-id", "volume", "connection", "host", "path", "proxy",
            "inside", "outside", "127.0.0.1:7788", "options", "plugin", "floating", "stacked-on-top-of", "skip",
            "include", "\"x y\"", "common", "global", "usage-count", "no", "protocol", "C", "connection-mesh",
            "hosts", "handlers", "split-brain", "startup", "syncer", "no-disk-flushes", "resync-rate", "quorum",
            "majority", "via", "port", "_this_host", "_remote_host", "_peer_node_id", "#", "\n", "\"", "\\", "%",
            "template-file", "require-drbd-module-version-ge", "9.1.0", "ssocks", "minor-count", "9999999999");

    @Property(tries = 1000)
    void randomTokenSoupOnlyEverFailsWithALocatedConfigException(@ForAll("soups") String text) {
        assertParsesOrFailsWithLocation(text);
    }

    @Property(tries = 1000)
    void mutatedCorpusFilesOnlyEverFailWithALocatedConfigException(@ForAll("mutants") String text) {
        assertParsesOrFailsWithLocation(text);
    }

    @Property(tries = 500)
    void arbitraryCharactersOnlyEverFailWithALocatedConfigException(@ForAll("noise") String text) {
        assertParsesOrFailsWithLocation(text);
    }

    /** As drbdadm promises for its dump: feeding the dump back in gives the same dump (header comments aside). */
    @Property(tries = 300)
    void dumpIsAFixedPoint(@ForAll("mutants") String text) throws ConfigException {
        DrbdConfig config;
        try {
            config = DrbdConfig.parse(text, "fuzz.res", "alice");
        } catch (ConfigException e) {
            return;
        }
        if (config.resources().stream().anyMatch(Resource::isStacked)) {
            return; // drbdadm leaves the stacked device out of its dump: not a fixed point there either
        }
        String dump = DumpWriter.dumpAll(config);
        DrbdConfig reparsed;
        try {
            reparsed = DrbdConfig.parse(dump, "fuzz.res", "alice");
        } catch (ConfigException e) {
            // a bare "name;" of a non-boolean option reads as yes/no, which drbdadm dumps and then refuses too
            assertThat(e.problem()).matches("Parse error: while parsing value \\('(yes|no)'\\).*");
            return;
        }
        String again = DumpWriter.dumpAll(reparsed);
        assertThat(withoutComments(again)).isEqualTo(withoutComments(dump));
    }

    private static String withoutComments(String dump) {
        return dump.lines().filter(line -> !line.strip().startsWith("#")).toList().toString();
    }

    private static void assertParsesOrFailsWithLocation(String text) {
        try {
            DrbdConfig config = DrbdConfig.parse(text, "fuzz.res", "alice");
            DumpWriter.dumpAll(config);
            config.forHost("alice");
        } catch (ConfigException e) {
            assertThat(e.location().file()).isNotEmpty();
            assertThat(e.location().line()).isGreaterThanOrEqualTo(0);
            assertThat(e.getMessage()).startsWith(e.location().toString() + ": ").doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> soups() {
        return Arbitraries.of(WORDS).list().ofMaxSize(80).map(words -> String.join(" ", words));
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("{}[];:\"\\#\n\t %/._-abcdefon0123456789").ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> mutants() {
        List<String> corpus = corpusFiles();
        Arbitrary<String> file = Arbitraries.of(corpus);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        Arbitrary<String> word = Arbitraries.of(WORDS);
        return Combinators.combine(file, position, kind, word).as(ConfigProperties::mutate)
                .list().ofMinSize(1).ofMaxSize(4).map(list -> list.get(list.size() - 1));
    }

    /** One edit of a corpus file at a position: delete a token, duplicate one, insert a word, or cut the rest. */
    private static String mutate(String text, int position, int kind, String word) {
        String[] tokens = text.split("(?<=[\\s{};])|(?=[\\s{};])");
        int at = position % Math.max(1, tokens.length);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            if (i == at) {
                if (kind == 0) {
                    continue;
                }
                if (kind == 1) {
                    out.append(tokens[i]);
                } else if (kind == 2) {
                    out.append(word);
                } else {
                    break;
                }
            }
            out.append(tokens[i]);
        }
        return out.toString();
    }

    private static List<String> corpusFiles() {
        Path root = Path.of("src", "test", "resources", "config-corpus");
        try (Stream<Path> files = Files.walk(root)) {
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
