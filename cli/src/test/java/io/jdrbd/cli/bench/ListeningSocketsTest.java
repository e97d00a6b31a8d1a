package io.jdrbd.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    private static final String PROC_NET_TCP = String.join("\n",
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:2A39 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0",
            "   1: 0100007F:2A39 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4712 1 0",
            "   2: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1060 1 0",
            "");

    @Test
    void shouldFindTheListeningSocketOfAPortAndIgnoreConnections() {
        // 0x2A39 = 10809; the second line is an established connection on the same port
        assertThat(ListeningSockets.listeningInodes(PROC_NET_TCP, 10809)).containsExactly(4711L);
        assertThat(ListeningSockets.listeningInodes(PROC_NET_TCP, 2024)).containsExactly(1060L);
        assertThat(ListeningSockets.listeningInodes(PROC_NET_TCP, 10810)).isEmpty();
    }

    @Test
    void shouldReadTheIpv6TableToo() {
        String tcp6 = "  sl  local_address                         remote_address                        st tx_queue "
                + "rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 00000000000000000000000001000000:2A39 00000000000000000000000000000000:0000 0A "
                + "00000000:00000000 00:00000000 00000000     0        0 99 1 0\n";

        assertThat(ListeningSockets.listeningInodes(tcp6, 10809)).containsExactly(99L);
    }

    @Test
    void shouldFindTheUriInTheServersFirstLine() {
        assertThat(ServerProcess.uriIn("nbd://127.0.0.1:10809/")).isEqualTo("nbd://127.0.0.1:10809/");
        assertThat(ServerProcess.uriIn("node0 nbd://127.0.0.1:7000/r0 control 127.0.0.1:7100"))
                .isEqualTo("nbd://127.0.0.1:7000/r0");
        assertThat(ServerProcess.portOf("nbds://[::1]:4000/x")).isEqualTo(4000);
        assertThat(ServerProcess.portOf("nbd://localhost/")).isEqualTo(10809);
    }
}
