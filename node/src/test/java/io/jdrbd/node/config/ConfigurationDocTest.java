package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every option of the tables, with its default. */
class ConfigurationDocTest {

    @Test
    void everyOptionIsDocumentedWithItsDefault() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Map<String, OptionDef> table : List.of(OptionTables.NET, OptionTables.DISK, OptionTables.PEER_DEVICE,
                OptionTables.RESOURCE, OptionTables.STARTUP, OptionTables.PROXY, OptionTables.HANDLERS)) {
            for (OptionDef def : table.values()) {
                assertThat(doc).as(def.name()).containsPattern("\\| `" + def.name() + "` \\|[^\\n]*\\| "
                        + java.util.regex.Pattern.quote(def.defaultValue().isEmpty() || table == OptionTables.PROXY
                        || table == OptionTables.HANDLERS ? "(none)" : def.defaultValue()) + " \\|");
            }
        }
    }
}
