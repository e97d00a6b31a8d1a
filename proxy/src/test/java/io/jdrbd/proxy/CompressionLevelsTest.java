package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionLevelsTest {

    @Test
    void shouldTakeZstdLevelsAsWritten() {
        assertThat(CompressionLevels.fromSettings(null, List.of("zstd level 3"))).isEqualTo(3);
        assertThat(CompressionLevels.fromSettings(null, List.of("zstd level 22"))).isEqualTo(22);
        assertThat(CompressionLevels.fromSettings(null, List.of("zstd"))).isEqualTo(3);
    }

    @Test
    void shouldMapDrbdProxyV3PluginsToTheDocumentedZstdLevels() {
        int[] zlib = {1, 1, 1, 2, 2, 3, 4, 6, 9};
        for (int level = 1; level <= 9; level++) {
            assertThat(CompressionLevels.fromSettings(null, List.of("zlib level " + level))).isEqualTo(zlib[level - 1]);
        }
        assertThat(CompressionLevels.fromSettings(null, List.of("lz4 level 1"))).isEqualTo(1);
        assertThat(CompressionLevels.fromSettings(null, List.of("lz4 level 9"))).isEqualTo(1);
        assertThat(CompressionLevels.fromSettings(null, List.of("lz4 level 12"))).isEqualTo(3);
        assertThat(CompressionLevels.fromSettings("on", List.of())).isEqualTo(3);
        assertThat(CompressionLevels.fromSettings("off", List.of())).isZero();
        assertThat(CompressionLevels.fromSettings(null, List.of())).isZero();
    }

    @Test
    void shouldIgnoreNonCompressionPluginsAndPreferAPluginOverCompressionOn() {
        assertThat(CompressionLevels.fromSettings("on", List.of("debug", "zstd level 9"))).isEqualTo(9);
        assertThat(CompressionLevels.fromSettings(null, List.of("lz4 level 9", "zlib level 9"))).isEqualTo(9);
        assertThat(CompressionLevels.fromSettings("9", List.of())).isEqualTo(9);
    }

    @Test
    void shouldNameTheLineOfABadSetting() {
        assertThatThrownBy(() -> CompressionLevels.fromSettings(null, List.of("zstd level 23")))
                .hasMessageContaining("'zstd level 23'").hasMessageContaining("1..22");
        assertThatThrownBy(() -> CompressionLevels.fromSettings(null, List.of("zlib level x")))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> CompressionLevels.fromSettings("maybe", List.of()))
                .hasMessageContaining("compression maybe");
    }
}
