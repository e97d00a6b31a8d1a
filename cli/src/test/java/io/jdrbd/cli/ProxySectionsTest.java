package io.jdrbd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.proxy.ProxyConnectionSpec;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxySectionsTest {

    /** Seed 000 (DRBD Proxy v4 blog): zstd plugin, proxies on the nodes. */
    private static final String V4 = String.join("\n",
            "resource r0 {",
            "  protocol A;",
            "  device minor 0;",
            "  disk /dev/vg_drbd/lv_r0;",
            "  meta-disk internal;",
            "  proxy {",
            "    memlimit 200M;",
            "    plugin {",
            "      zstd level 3;",
            "    }",
            "  }",
            "  on alpha {",
            "    address 127.0.0.1:7789;",
            "    proxy on alpha {",
            "      inside 127.0.0.1:7788;",
            "      outside 192.168.6.14:7790;",
            "    }",
            "  }",
            "  on bravo {",
            "    address 127.0.0.1:7789;",
            "    proxy on bravo {",
            "      inside 127.0.0.1:7788;",
            "      outside 192.168.7.15:7790;",
            "    }",
            "  }",
            "}");

    /** Seed 001 (DRBD user guide, DRBD Proxy v3): {@code compression on;}, which drbdadm 9 itself refuses. */
    private static final String V3 = String.join("\n",
            "resource r0 {",
            "        protocol c;",
            "        device     minor 0;",
            "        disk       /dev/sdb1;",
            "        flexible-meta-disk  /dev/sdb2;",
            "\tproxy {",
            "\t      compression on;",
            "\t      memlimit 100M;",
            "\t}",
            "        on alice {",
            "                address 127.0.0.1:7789;",
            "                proxy on alice {",
            "                        inside 127.0.0.1:7788;",
            "                        outside 192.168.23.1:7788;",
            "                }",
            "        }",
            "        on bob {",
            "                address 127.0.0.1:7789;",
            "                proxy on bob {",
            "                        inside 127.0.0.1:7788;",
            "                        outside 192.168.23.2:7788;",
            "                }",
            "        }",
            "}");

    @Test
    void shouldReadTheV4SeedAsDrbdadmWouldSetUpTheProxy() throws Exception {
        List<ProxyConnectionSpec> alpha = ProxySections.connections(V4, "v4.res", "alpha");
        assertThat(alpha).hasSize(1);
        ProxyConnectionSpec c = alpha.get(0);
        assertThat(c.name()).isEqualTo("r0-bravo-alpha");
        assertThat(c.insideListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 7788));
        assertThat(c.outsideListen()).isEqualTo(new InetSocketAddress("192.168.6.14", 7790));
        assertThat(c.outsidePeer()).isEqualTo(new InetSocketAddress("192.168.7.15", 7790));
        assertThat(c.insideTarget()).isEqualTo(new InetSocketAddress("127.0.0.1", 7789));
        assertThat(c.memlimitBytes()).isEqualTo(200L << 20);
        assertThat(c.zstdLevel()).isEqualTo(3);

        ProxyConnectionSpec bravo = ProxySections.connections(V4, "v4.res", "bravo").get(0);
        assertThat(bravo.name()).isEqualTo("r0-alpha-bravo");
        assertThat(bravo.outsidePeer()).isEqualTo(new InetSocketAddress("192.168.6.14", 7790));
    }

    @Test
    void shouldAcceptTheV3CompressionSwitchAsZstdLevel3() throws Exception {
        ProxyConnectionSpec c = ProxySections.connections(V3, "v3.res", "bob").get(0);
        assertThat(c.name()).isEqualTo("r0-alice-bob");
        assertThat(c.zstdLevel()).isEqualTo(3);
        assertThat(c.memlimitBytes()).isEqualTo(100L << 20);
        assertThat(c.outsidePeer()).isEqualTo(new InetSocketAddress("192.168.23.1", 7788));
    }

    @Test
    void shouldMapV3PluginsOfAViaProxyConnection() throws Exception {
        String text = V4.replace("zstd level 3;", "zlib level 8;");
        assertThat(ProxySections.connections(text, "x.res", "alpha").get(0).zstdLevel()).isEqualTo(6);
        String lz4 = V4.replace("zstd level 3;", "lz4 level 1;");
        assertThat(ProxySections.connections(lz4, "x.res", "alpha").get(0).zstdLevel()).isEqualTo(1);
    }

    @Test
    void shouldServeNothingOnAHostWithoutProxySections() throws Exception {
        assertThat(ProxySections.connections(V4, "v4.res", "charlie")).isEmpty();
    }
}
