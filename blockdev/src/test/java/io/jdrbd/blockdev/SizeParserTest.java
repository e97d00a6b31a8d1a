package io.jdrbd.blockdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeParserTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "512, 512", "1K, 1024", "1k, 1024", "64M, 67108864", "64MiB, 67108864", "64MB, 67108864",
        "3G, 3221225472", "1T, 1099511627776", "2P, 2251799813685248", "7E, 8070450532247928832",
        "' 10M ', 10485760"
    })
    void parsesPowersOf1024(String text, long expected) {
        assertThat(SizeParser.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "M", "-1", "1.5G", "12X", "8E", "99999999999999999999", "1 G", "0x10"})
    void rejectsWhatIsNotASizeNamingTheOption(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text, "--size"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--size: ");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> SizeParser.parse(null, "--size")).hasMessage("--size: empty size");
    }
}
