package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every resource of the corpus and every host it runs on, the commands {@code drbdadm -d up RES}
 * prints (with that host renamed to this machine's node name) equal {@link UpPlan}'s.
 */
class UpPlanIT {

    private static final Path GOOD = Path.of("src", "test", "resources", "config-corpus", "good").toAbsolutePath();
    private static final List<String> TOP_FILES = List.of("two-node-84.res", "mesh-three-node.res", "volumes.res",
            "proxy.res", "proxy-via.res", "handlers.res", "ipv6.res", "stacked.res", "every-option.res",
            "includes/drbd.conf", "template/template.res");

    @Test
    void everyResourceOnEveryHostComesUpWithDrbdadmsCommands(@TempDir Path tmp) throws Exception {
        Path drbdadm = ExternalPrograms.require("drbdadm");
        String me = HostNames.local();
        int compared = 0;
        for (String top : TOP_FILES) {
            DrbdConfig original = DrbdConfig.parse(GOOD.resolve(top), "nobody");
            for (Resource resource : original.resources()) {
                for (Host host : resource.hosts()) {
                    if (host.kind() != Host.Kind.ON) {
                        continue;
                    }
                    Path dir = Files.createTempDirectory(tmp, "case");
                    copyRenaming(GOOD, dir, host.names().get(0), me);
                    Path file = dir.resolve(top);
                    String theirs = run(drbdadm, "-c", file.toString(), "-d", "up", resource.name());
                    String ours = ours(file, me, resource.name());
                    assertThat(ours).as("%s, resource %s on %s", top, resource.name(), host.names().get(0))
                            .isEqualTo(theirs);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(25);
    }

    private static String ours(Path file, String hostname, String resource) {
        try {
            DrbdConfig config = DrbdConfig.parse(file, hostname);
            StringBuilder out = new StringBuilder();
            for (List<String> command : UpPlan.commands(config, resource)) {
                out.append(UpPlan.render(command)).append('\n');
            }
            return out.toString();
        } catch (ConfigException e) {
            return "refused";
        }
    }

    /** drbdadm's output, or "refused" when it exits with an error. */
    private static String run(Path drbdadm, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(drbdadm.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // drbdadm names drbdsetup and drbdmeta by the directory it was started from
        String programDir = Pattern.quote(drbdadm.getParent() + "/");
        return process.exitValue() == 0 ? out.replaceAll("(?m)^" + programDir, "") : "refused";
    }

    /** Copies the corpus tree, replacing the host name {@code from} (as a whole word) by {@code to}. */
    private static void copyRenaming(Path source, Path target, String from, String to) throws IOException {
        Pattern word = Pattern.compile("(?<![\\w.-])" + Pattern.quote(from) + "(?![\\w.-])");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path path : files.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    String text = Files.readString(path, StandardCharsets.ISO_8859_1);
                    Files.writeString(destination, word.matcher(text).replaceAll(Matcher.quoteReplacement(to)),
                            StandardCharsets.ISO_8859_1);
                }
            }
        }
    }
}
