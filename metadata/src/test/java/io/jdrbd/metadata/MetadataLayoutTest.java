package io.jdrbd.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataLayoutTest {

    /** The verified examples of drbd-metadata.md §1.3. */
    @ParameterizedTest(name = "{0} bytes, {1} peers, AL {2}x{3}")
    @CsvSource({
        "67108864, 1, 1, 8, 80, -64, -72, 130992",
        "67108864, 3, 1, 8, 88, -64, -80, 130984",
        "104857600, 2, 1, 8, 88, -64, -80, 204712",
        "1073741824, 1, 1, 8, 136, -64, -128, 2097016",
        "1073741824, 31, 1, 8, 2056, -64, -2048, 2095096",
        "1000000000, 7, 1, 8, 496, -64, -488, 1952624",
        "1099511627776, 3, 1, 8, 196680, -64, -196672, 2147286968",
        "10995116277760, 1, 1, 8, 655432, -64, -655424, 21474181048",
        "1073741824, 2, 4, 16, 648, -512, -640, 2096504",
        "1073741824, 1, 3, 3, 144, -72, -136, 2097008",
    })
    void internalLayoutMatchesDrbdmeta(long bytes, int peers, int stripes, int stripe4k, long mdSize, int alOffset,
                                       int bmOffset, long usable) {
        MetadataLayout layout = MetadataLayout.internal(bytes, peers, stripes, stripe4k);
        assertThat(layout.mdSizeSect()).isEqualTo(mdSize);
        assertThat(layout.alOffsetSect()).isEqualTo(alOffset);
        assertThat(layout.bmOffsetSect()).isEqualTo(bmOffset);
        assertThat(layout.maxUsableSectors(bytes)).isEqualTo(usable);
    }

    @ParameterizedTest
    @CsvSource({"10485760, 2, 20480, 8, 72, 334364672"})
    void flexExternalLayoutMatchesDrbdmeta(long mdBytes, int peers, long mdSize, int alOffset, int bmOffset,
                                           long maxData) {
        MetadataLayout layout = MetadataLayout.flexExternal(mdBytes, peers, 1, 8);
        assertThat(layout.mdSizeSect()).isEqualTo(mdSize);
        assertThat(layout.alOffsetSect()).isEqualTo(alOffset);
        assertThat(layout.bmOffsetSect()).isEqualTo(bmOffset);
        assertThat(layout.maxUsableSectors(-1)).isEqualTo(maxData);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 4", "2, 1", "3, 5", "7, 7"})
    void stripedTransactionsFollowTheKernelOrder(int trNumber, int block) {
        MetadataLayout layout = MetadataLayout.flexExternal(1 << 24, 1, 2, 4);
        assertThat(layout.alTransactionOffsetBytes(trNumber)).isEqualTo(layout.alStartBytes() + block * 4096L);
    }
}
