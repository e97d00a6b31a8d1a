package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumberValueTest {

    @Test
    void unitsAreConvertedToTheOptionsScale() {
        assertThat(NumberValue.parse("40M", 'k')).isEqualTo(40L * 1024);
        assertThat(NumberValue.parse("250", 'k')).isEqualTo(250L);
        assertThat(NumberValue.parse("1G", 's')).isEqualTo(2L * 1024 * 1024);
        assertThat(NumberValue.parse("512k", '1')).isEqualTo(512L * 1024);
        assertThat(NumberValue.parse("8s", '1')).isEqualTo(4096L);
    }

    @Test
    void convertingToALargerUnitRoundsUp() {
        assertThat(NumberValue.parse("1s", 'k')).isEqualTo(1L);
        assertThat(NumberValue.parse("3s", 'k')).isEqualTo(2L);
    }

    @Test
    void anythingElseIsNotANumber() {
        assertThat(NumberValue.parse("40Q", 'k')).isNull();
        assertThat(NumberValue.parse("M", '1')).isNull();
        assertThat(NumberValue.parse("10MB", '1')).isNull();
        assertThat(NumberValue.parse("", '1')).isNull();
        assertThat(NumberValue.parse("99999999999999999999G", '1')).isNull();
    }

    @Test
    void negativeNumbersWrapLikeStrtoull() {
        assertThat(NumberValue.parse("-1", '1')).isEqualTo(-1L);
        assertThat(Long.toUnsignedString(NumberValue.parse("-1", '1'))).isEqualTo("18446744073709551615");
    }
}
