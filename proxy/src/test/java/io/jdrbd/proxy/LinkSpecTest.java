package io.jdrbd.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkSpecTest {

    @Test
    void shouldReadRateAndDelayAsTheCliWritesThem() {
        assertThat(LinkSpec.parse("2MB/s,50ms")).isEqualTo(new LinkSpec(2L << 20, 50));
        assertThat(LinkSpec.parse("512KiB/s, 0.1s")).isEqualTo(new LinkSpec(512L << 10, 100));
        assertThat(LinkSpec.parse("1G/s,5")).isEqualTo(new LinkSpec(1L << 30, 5));
        assertThat(LinkSpec.parse("0B/s,20ms")).isEqualTo(new LinkSpec(0, 20));
    }

    @Test
    void shouldNameTheExpectedFormOnBadInput() {
        assertThatThrownBy(() -> LinkSpec.parse("fast")).hasMessageContaining("2MB/s,50ms");
        assertThatThrownBy(() -> LinkSpec.parse("2MB,50ms")).hasMessageContaining("'2MB,50ms'");
    }
}
