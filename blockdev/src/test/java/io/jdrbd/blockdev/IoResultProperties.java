package io.jdrbd.blockdev;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Positive;

class IoResultProperties {

    @Property(tries = 100)
    void failedResultsCarryTheirRange(@ForAll IoError error, @ForAll @Positive long offset, @ForAll @Positive long length) {
        IoResult result = IoResult.failed(error, offset, length, "why");
        assertThat(result.ok()).isFalse();
        assertThat(result.error()).isEqualTo(error);
        assertThat(result.toString()).contains(error.name()).contains(Long.toString(offset));
    }
}
