package io.jdrbd.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void shouldReadSuffixesAsPowersOf1024() {
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("4K")).isEqualTo(4096);
        assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1G")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("2T")).isEqualTo(2L << 40);
    }

    @Test
    void shouldRejectBadOrOverflowingSizesNamingTheText() {
        assertThatThrownBy(() -> ByteSize.parse("1X")).hasMessageContaining("'1X'");
        assertThatThrownBy(() -> ByteSize.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSize.parse("0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ByteSize.parse("99999999999T")).hasMessageContaining("out of range");
    }
}
