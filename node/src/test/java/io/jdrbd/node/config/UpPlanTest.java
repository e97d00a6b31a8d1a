package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The drbdsetup command lines of "up", checked against what drbdadm 9.22 printed for the same file. */
class UpPlanTest {

    private static final String VOLUMES = String.join("\n",
            "resource data {",
            "  volume 0 { device /dev/drbd20; disk /dev/vg/data0; meta-disk internal; }",
            "  volume 1 { device /dev/drbd21; disk /dev/vg/data1; meta-disk internal;",
            "             disk { c-plan-ahead 0; disk-barrier no; } }",
            "  on alpha { node-id 1; address 10.0.0.1:7100; }",
            "  on beta { node-id 2; address 10.0.0.2:7100; }",
            "  on gamma { node-id 3; address 10.0.0.3:7100; volume 0 { disk none; } volume 1 { disk none; } }",
            "  connection { host alpha; host beta; net { protocol C; } disk { resync-rate 80M; c-max-rate 400M; }",
            "               volume 1 { disk { resync-rate 20M; } } }",
            "  connection { path { host alpha address 10.0.1.1:7101; host gamma address 10.0.1.3:7101; }",
            "               path { host alpha address 10.0.2.1:7102; host gamma address 10.0.2.3:7102; }",
            "               net { protocol A; on-congestion pull-ahead; } }",
            "  connection { host beta port 7103; host gamma port 7103; }",
            "}");

    private static List<String> lines(String text, String host, String resource) throws ConfigException {
        return UpPlan.commands(DrbdConfig.parse(text, "t.res", host), resource).stream().map(UpPlan::render)
                .toList();
    }

    @Test
    void upOnAlphaMatchesDrbdadm() throws ConfigException {
        assertThat(lines(VOLUMES, "alpha", "data")).containsExactly(
                "drbdsetup new-resource data 1",
                "drbdsetup new-minor data 20 0",
                "drbdsetup new-minor data 21 1",
                "drbdsetup new-peer data 2 --_name=beta --protocol=C",
                "drbdsetup new-peer data 3 --_name=gamma --protocol=A --on-congestion=pull-ahead",
                "drbdsetup new-path data 2 ipv4:10.0.0.1:7100 ipv4:10.0.0.2:7100",
                "drbdsetup new-path data 3 ipv4:10.0.1.1:7101 ipv4:10.0.1.3:7101",
                "drbdsetup new-path data 3 ipv4:10.0.2.1:7102 ipv4:10.0.2.3:7102",
                "drbdsetup peer-device-options data 2 1 --c-plan-ahead=0 --c-max-rate=400M --resync-rate=20M",
                "drbdsetup peer-device-options data 2 0 --c-max-rate=400M --resync-rate=80M",
                "drbdsetup peer-device-options data 3 0 --bitmap=no",
                "drbdsetup peer-device-options data 3 1 --c-plan-ahead=0 --bitmap=no",
                "drbdmeta 20 v09 /dev/vg/data0 internal apply-al",
                "drbdsetup attach 20 /dev/vg/data0 /dev/vg/data0 internal",
                "drbdmeta 21 v09 /dev/vg/data1 internal apply-al",
                "drbdsetup attach 21 /dev/vg/data1 /dev/vg/data1 internal --disk-barrier=no",
                "drbdsetup connect data 2",
                "drbdsetup connect data 3");
    }

    @Test
    void aDisklessHostMakesDisklessMinorsAndNoAttach() throws ConfigException {
        assertThat(lines(VOLUMES, "gamma", "data")).contains("drbdsetup new-minor data 20 0 --diskless")
                .noneMatch(line -> line.contains("attach") || line.contains("apply-al"));
    }

    @Test
    void argumentsAreShellEscapedLikeDrbdadm() {
        assertThat(UpPlan.shellEscape("--shared-secret=my secret")).isEqualTo("--shared-secret=my\\ secret");
        assertThat(UpPlan.shellEscape("a'b\"c$")).isEqualTo("a\\'b\\\"c\\$");
        assertThat(UpPlan.shellEscape("ipv6:[fd00::1]:7000")).isEqualTo("ipv6:\\[fd00::1\\]:7000");
    }

    @Test
    void aResourceNotOnThisHostIsRefused() {
        assertThatThrownBy(() -> lines(VOLUMES, "delta", "data")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'data' ignored, since this host (delta) is not mentioned");
    }
}
