package io.jdrbd.cli.adm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmCommandTest {

    private static final String CONFIG = "resource r0 {\n  device minor 3; disk /dev/vg/r0; meta-disk internal;\n"
            + "  on alice { node-id 0; address 10.0.0.1:7789; }\n  on bob { node-id 1; address 10.0.0.2:7789; }\n}\n";

    @Test
    void dumpPrintsTheNormalizedConfiguration(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("r0.res"), CONFIG);
        AdmRun run = AdmRun.of("adm", "-c", file.toString(), "dump");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("# " + file.toRealPath() + "\n# resource r0 on ")
                .contains("    device               minor 3;\n")
                .contains("    on bob {\n        node-id 1;\n        address          ipv4 10.0.0.2:7789;\n    }\n");
    }

    @Test
    void optionsMayFollowTheSubcommandAndNodeSelectsTheHost(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("r0.res"), CONFIG);
        AdmRun run = AdmRun.of("adm", "dump", "-c", file.toString(), "--node", "alice", "r0");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("# resource r0 on alice: not ignored, not stacked\n");
    }

    @Test
    void aResourceNotRunHereIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("r0.res"), CONFIG);
        AdmRun run = AdmRun.of("adm", "-c", file.toString(), "--node", "zed", "dump", "r0");
        assertThat(run.status()).isEqualTo(AdmCommand.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("'r0' not defined in your config (for this host).\n");
    }

    @Test
    void aBadConfigurationIsRefusedWithFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.res"), CONFIG.replace("meta-disk internal;",
                "meta-disk internal; net { turbo-mode yes; }"));
        AdmRun run = AdmRun.of("adm", "-c", file.toString(), "dump");
        assertThat(run.status()).isEqualTo(AdmCommand.EXIT_CONFIG_INVALID);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(file + ":2:62: Parse error: 'an option keyword' expected, but got"
                + " 'turbo-mode'\n");
    }

    @Test
    void anAddressNotOnThisMachineFailsTheFullDumpLikeDrbdadm(@TempDir Path dir) throws IOException {
        // 192.0.2.0/24 is TEST-NET-1: never configured on a real interface
        Path file = Files.writeString(dir.resolve("r0.res"), CONFIG.replace("10.0.0.1", "192.0.2.1"));
        AdmRun all = AdmRun.of("adm", "-c", file.toString(), "--node", "alice", "dump");
        assertThat(all.status()).isEqualTo(AdmCommand.EXIT_CONFIG_INVALID);
        assertThat(all.err()).isEqualTo(file.toRealPath() + ": in resource r0, on alice: IP 192.0.2.1 not found on"
                + " this host.\n");
        AdmRun named = AdmRun.of("adm", "-c", file.toString(), "--node", "alice", "dump", "r0");
        assertThat(named.status()).isZero();
        assertThat(named.err()).contains("IP 192.0.2.1 not found");
        assertThat(AdmRun.of("adm", "-d", "-c", file.toString(), "--node", "alice", "dump").status()).isZero();
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        AdmRun run = AdmRun.of("adm", "-c", dir.resolve("none.conf").toString(), "dump");
        assertThat(run.status()).isEqualTo(AdmCommand.EXIT_CONFIG_INVALID);
        assertThat(run.err()).contains("none.conf").contains("Can not open");
    }
}
