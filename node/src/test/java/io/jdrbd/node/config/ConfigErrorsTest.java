package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Refusals name the file, line and column, in drbdadm's words. */
class ConfigErrorsTest {

    private static final String HOSTS = "on alice { device minor 0; disk /dev/sdb; meta-disk internal;"
            + " address 10.0.0.1:7789; }\non bob { device minor 0; disk /dev/sdb; meta-disk internal;"
            + " address 10.0.0.2:7789; }\n";

    private static ConfigException refusal(String text) {
        try {
            DrbdConfig.parse(text, "t.res", "nohost");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void unknownNetOptionIsAParseErrorAtItsPosition() {
        ConfigException e = refusal("resource r0 {\n  net {\n    turbo-mode yes;\n  }\n" + HOSTS + "}\n");
        assertThat(e.getMessage())
                .isEqualTo("t.res:3:5: Parse error: 'an option keyword' expected, but got 'turbo-mode'");
        assertThat(e.location()).isEqualTo(new SourceLocation("t.res", 3, 5));
    }

    @Test
    void unknownDiskOptionListsThePeerDeviceOptions() {
        assertThat(refusal("resource r0 {\n disk { turbo 1; }\n" + HOSTS + "}").getMessage()).isEqualTo(
                "t.res:2:9: Parse error: 'resync-rate | c-plan-ahead | c-delay-target | c-fill-target | c-max-rate"
                        + " | c-min-rate | bitmap' expected, but got 'turbo'");
    }

    @Test
    void valuesAreTypeAndRangeChecked() {
        assertThat(refusal("resource r0 { disk { resync-rate 40Q; }\n" + HOSTS + "}").problem())
                .isEqualTo("Parse error: while parsing value ('40Q') for resync-rate. Value is not a number.");
        assertThat(refusal("resource r0 { net { ping-timeout 100000; }\n" + HOSTS + "}").problem())
                .isEqualTo("Parse error: while parsing value ('100000') for ping-timeout. Value is too big.");
        assertThat(refusal("resource r0 { net { max-buffers 31; }\n" + HOSTS + "}").problem())
                .endsWith("for max-buffers. Value is too small.");
        assertThat(refusal("resource r0 { net { allow-two-primaries maybe; }\n" + HOSTS + "}").problem())
                .endsWith("Value is not 'yes' or 'no'.");
        assertThat(refusal("resource r0 { net { protocol D; }\n" + HOSTS + "}").problem())
                .endsWith("Value is not valid. Allowed values are: A | B | C");
        assertThat(refusal("resource r0 { net { shared-secret \"" + "s".repeat(64) + "\"; }\n" + HOSTS + "}")
                .problem()).endsWith("Value is too long. max len: 63");
        assertThat(refusal("resource r0 { options { quorum 33; }\n" + HOSTS + "}").problem())
                .endsWith("for quorum. Value is too big.");
    }

    @Test
    void statementValuesAreRangeChecked() {
        assertThat(refusal("resource r0 { on a { node-id 33; } }").getMessage())
                .isEqualTo("t.res:1:30: node-id 33 => 33 out of range [0..32].");
        assertThat(refusal("resource r0 { on a { address 1.2.3.4:0; } }").problem())
                .isEqualTo("port 0 => 0 out of range [1..65535].");
    }

    @Test
    void duplicatesNameTheFirstUse() {
        String text = "resource r0 {\n device minor 0; disk /dev/sdb; meta-disk internal;\n"
                + " on a { node-id 1; address 10.0.0.1:7789; }\n on b { node-id 1; address 10.0.0.2:7789; }\n}";
        assertThat(refusal(text).getMessage())
                .isEqualTo("t.res:4:17: conflicting use of node-id 'r0:1' (first used at t.res:3:17)");
        String minors = "resource r0 { on a { node-id 0; device minor 3; disk /x; address 10.0.0.1:1; }"
                + " on b { node-id 1; device minor 3; disk /x; address 10.0.0.2:1; } }\n"
                + "resource r1 {\n on a { node-id 0; device minor 3; disk /y; address 10.0.0.1:2; }"
                + " on b { node-id 1; device minor 4; disk /y; address 10.0.0.2:2; } }";
        assertThat(refusal(minors).getMessage()).startsWith("t.res:3:20: conflicting use of device-minor"
                + " 'device-minor:a:3' (first used at t.res:1:33)");
    }

    @Test
    void aHostWithoutAddressLeavesTheNodeIdsUnknown() {
        ConfigException e = refusal("resource r0 {\n device minor 0; disk /dev/sdb; meta-disk internal;\n"
                + " on a { address 10.0.0.1:7789; }\n on b { }\n}");
        assertThat(e.getMessage()).isEqualTo("t.res:3:2: in resource r0, on a { ... }: 'node-id' keyword missing.");
    }

    @Test
    void missingPiecesAreNamed() {
        assertThat(refusal("resource r0 { on a { node-id 0; disk /x; address 10.0.0.1:1; }"
                + " on b { node-id 1; disk /x; address 10.0.0.2:1; } }").problem())
                .isEqualTo("in resource r0, on a { ... }: 'device' keyword missing.");
        assertThat(refusal("resource r0 { device minor 1; }").problem())
                .isEqualTo("in resource r0: a host sections ('on nohost { ... }') is missing.");
        assertThat(refusal("resource r0 { on a { proxy on a { inside 127.0.0.1:1; } } }").problem())
                .isEqualTo("in section: proxy on a { ... } }: 'outside' keyword missing.");
    }

    @Test
    void syntaxErrorsSayWhatWasExpected() {
        assertThat(refusal("resourse r0 { }").getMessage()).isEqualTo("t.res:1:1: Parse error: 'global | common |"
                + " resource | skip | include | require-drbd-module-version-{eq,ne,gt,ge,lt,le}' expected,"
                + " but got 'resourse'");
        assertThat(refusal("resource r0 { on a { address 10.0.0.1 7789; } }").problem())
                .isEqualTo("Parse error: ':' expected, but got '7789'");
        assertThat(refusal("resource r0 { handlers { split-brain \"abc\n\"; } }").problem())
                .startsWith("Parse error: ';' expected");
        assertThat(refusal("skip { {").problem()).isEqualTo("reached eof while parsing this skip block.");
    }

    @Test
    void unknownTopLevelFileIsRefusedWithItsName() {
        assertThatThrownBy(() -> DrbdConfig.parse(java.nio.file.Path.of("/no/such/drbd.conf"), "h"))
                .isInstanceOf(ConfigException.class).hasMessage("/no/such/drbd.conf:0: Can not open"
                        + " '/no/such/drbd.conf'.");
    }
}
