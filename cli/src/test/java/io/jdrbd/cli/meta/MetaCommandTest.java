package io.jdrbd.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.cli.Main;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdrbd meta} through the real command line: picocli hands every word over unchanged. */
class MetaCommandTest {
    @TempDir
    Path dir;

    @Test
    void optionsBeforeAndAfterTheCommandReachTheTool() throws Exception {
        Path image = Drbdmeta.sparseImage(dir, "img", 64L << 20);
        assertThat(Main.run("meta", "--force", "/dev/drbd7", "v09", image.toString(), "internal", "create-md",
                "--max-peers=3", "--al-stripes", "2", "--al-stripe-size-kB", "16")).isZero();
        assertThat(Main.run("meta", "--force", "-", "v09", image.toString(), "internal", "get-gi",
                "--node-id", "1")).isZero();
        assertThat(Main.run("meta", "/dev/drbd7", "v09", image.toString(), "internal", "dstate"))
                .as("a regular file without --force").isEqualTo(20);
        assertThat(Main.run("meta", "--force", "/dev/drbd7", "v09", image.toString(), "internal", "frob"))
                .isEqualTo(20);
        assertThat(Main.run("meta", "--force", "/dev/drbd7", "v09", image.toString(), "internal", "get-gi"))
                .as("--node-id missing").isEqualTo(20);
    }
}
