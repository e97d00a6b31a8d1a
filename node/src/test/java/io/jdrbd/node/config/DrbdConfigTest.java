package io.jdrbd.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model and the per-host view the node runs from. */
class DrbdConfigTest {

    private static final String THREE_NODES = String.join("\n",
            "common { net { ping-int 3; } disk { resync-rate 10M; } }",
            "resource r0 {",
            "  device minor 7; disk /dev/vg/r0; meta-disk internal;",
            "  net { timeout 40; cram-hmac-alg sha256; shared-secret s3cret; }",
            "  on a { node-id 0; address 10.0.0.1:7000; }",
            "  on b { node-id 1; address 10.0.0.2:7000; }",
            "  on c { node-id 2; address 10.0.0.3:7000; disk none; }",
            "  connection-mesh { hosts a b c; net { protocol C; } }",
            "}");

    @Test
    void forHostSelectsTheLocalSectionAndOnePeerPerConnection() throws ConfigException {
        DrbdConfig config = DrbdConfig.parse(THREE_NODES, "t.res", "b");
        List<LocalResource> local = config.forHost("b");
        assertThat(local).hasSize(1);
        LocalResource r0 = local.get(0);
        assertThat(r0.nodeId()).isEqualTo(1);
        assertThat(r0.volumes()).singleElement().satisfies(v -> {
            assertThat(v.volume().minor()).isEqualTo(7);
            assertThat(v.volume().disk()).isEqualTo("/dev/vg/r0");
            assertThat(v.peerDeviceOptions().number(OptionTables.PEER_DEVICE, "resync-rate")).isEqualTo(10 * 1024);
        });
        assertThat(r0.peers()).extracting(p -> p.host().nodeId()).containsExactly(0, 2);
        LocalPeer toC = r0.peers().get(1);
        assertThat(toC.paths()).singleElement().satisfies(path -> {
            assertThat(path.local()).isEqualTo(new Address("ipv4", "10.0.0.2", "7000"));
            assertThat(path.peer()).isEqualTo(new Address("ipv4", "10.0.0.3", "7000"));
        });
        assertThat(toC.host().volumes().get(0).isDiskless()).isTrue();
    }

    @Test
    void netSettingsInheritMeshResourceAndCommonWithDefaultsForTheRest() throws ConfigException {
        NetSettings net = DrbdConfig.parse(THREE_NODES, "t.res", "a").forHost("a").get(0).peers().get(0).net();
        assertThat(net.protocol()).isEqualTo('C');
        assertThat(net.pingIntSeconds()).isEqualTo(3);
        assertThat(net.timeoutTenths()).isEqualTo(40);
        assertThat(net.cramHmacAlg()).isEqualTo("sha256");
        assertThat(net.sharedSecret()).isEqualTo("s3cret");
        assertThat(net.pingTimeoutTenths()).isEqualTo(5);
        assertThat(net.koCount()).isEqualTo(7);
        assertThat(net.connectIntSeconds()).isEqualTo(10);
        assertThat(net.maxEpochSize()).isEqualTo(2048);
        assertThat(net.sndbufSizeBytes()).isZero();
        assertThat(net.allowTwoPrimaries()).isFalse();
    }

    @Test
    void anOptionInheritedFromTwoPlacesWithTwoValuesIsRefusedLikeDrbdadm() throws ConfigException {
        DrbdConfig config = DrbdConfig.parse(THREE_NODES.replace("ping-int 3;", "ping-int 3; protocol A;"), "t.res",
                "a");
        assertThatThrownBy(() -> config.forHost("a")).isInstanceOf(ConfigException.class).hasMessage("t.res:2: in"
                + " resource r0, ambiguous inheritance for option \"protocol\"."
                + " should be \"C\" and \"A\" at the same time");
    }

    @Test
    void aHostNotInTheFileRunsNothing() throws ConfigException {
        assertThat(DrbdConfig.parse(THREE_NODES, "t.res", "z").forHost("z")).isEmpty();
    }

    @Test
    void twoHostResourcesGetNodeIdsFromTheirAddressesLikeDrbdadm() throws ConfigException {
        // drbdadm 9.22 assigns alice=1, bob=0 for these addresses (checked with drbdadm dump)
        DrbdConfig config = DrbdConfig.parse("resource lower { device /dev/drbd70; disk /dev/sdc; meta-disk internal;"
                + " on alice { address 10.70.0.1:7070; } on bob { address 10.70.0.2:7070; } }", "t.res", "x");
        assertThat(config.resource("lower").orElseThrow().hosts()).extracting(Host::nodeId).containsExactly(1, 0);
        assertThat(config.resource("lower").orElseThrow().connections()).singleElement()
                .satisfies(c -> assertThat(c.implicit()).isTrue());
    }

    @Test
    void unitsAndNoPrefixesAreNormalized() throws ConfigException {
        DrbdConfig config = DrbdConfig.parse("resource r { disk { no-disk-flushes; size 1G; al-updates; }"
                + " on a { node-id 0; device minor 0; disk /x; address 10.0.0.1:1; }"
                + " on b { node-id 1; device minor 0; disk /x; address 10.0.0.2:1; } }", "t.res", "a");
        OptionList disk = config.resource("r").orElseThrow().sections().disk();
        assertThat(disk.options()).containsExactly(new Option("disk-flushes", "no"), new Option("size", "1G"),
                new Option("al-updates", "yes"));
        assertThat(disk.number(OptionTables.DISK, "size")).isEqualTo(2L * 1024 * 1024);
        assertThat(disk.flag(OptionTables.DISK, "disk-flushes")).isFalse();
        assertThat(disk.flag(OptionTables.DISK, "md-flushes")).isTrue();
    }

    @Test
    void includesAreRelativeToTheIncludingFileAndGlobbed(@TempDir Path dir) throws IOException, ConfigException {
        Files.createDirectories(dir.resolve("drbd.d"));
        Files.writeString(dir.resolve("drbd.conf"), "include \"drbd.d/*.res\";\ninclude \"drbd.d/none-*.res\";\n");
        for (String name : List.of("b", "a")) {
            Files.writeString(dir.resolve("drbd.d/" + name + ".res"), "resource " + name + " { device minor "
                    + (name.equals("a") ? 1 : 2) + "; disk /x" + name + "; on h1 { node-id 0; address 10.0.0.1:"
                    + (7000 + name.charAt(0))
                    + "; } on h2 { node-id 1; address 10.0.0.2:" + (7000 + name.charAt(0)) + "; } }\n");
        }
        DrbdConfig config = DrbdConfig.parse(dir.resolve("drbd.conf"), "h1");
        assertThat(config.resources()).extracting(Resource::name).containsExactly("a", "b");
        assertThat(config.resources().get(0).definedAt().file()).isEqualTo(dir.resolve("drbd.d/a.res").toRealPath()
                .toString());
    }

    @Test
    void aTemplateFileReplacesTheCommonSection(@TempDir Path dir) throws IOException, ConfigException {
        Files.writeString(dir.resolve("tpl.conf"), "common { net { protocol B; ko-count 3; } }\n");
        Files.writeString(dir.resolve("r.res"), "common { net { protocol A; } }\nresource r { template-file tpl.conf;"
                + " device minor 0; disk /x; on a { node-id 0; address 10.0.0.1:1; }"
                + " on b { node-id 1; address 10.0.0.2:1; } }\n");
        NetSettings net = DrbdConfig.parse(dir.resolve("r.res"), "a").forHost("a").get(0).peers().get(0).net();
        assertThat(net.protocol()).isEqualTo('B');
        assertThat(net.koCount()).isEqualTo(3);
    }
}
