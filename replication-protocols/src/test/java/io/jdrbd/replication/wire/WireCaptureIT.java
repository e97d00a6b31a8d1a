package io.jdrbd.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.replication.wire.PdmlDocument.DrbdPdu;
import io.jdrbd.replication.wire.ReplicationSessionScript.Side;
import io.jdrbd.replication.wire.ReplicationSessionScript.Step;
import io.jdrbd.testsupport.ExternalPrograms;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our packets are DRBD's packets: a scripted two-node session (handshake, data, acks, barriers, both
 * directions, both sockets; see {@link ReplicationSessionScript}) is decoded by Wireshark's DRBD
 * dissector with the command of the wire reference (§8.2). Every packet must show up on its connection
 * and direction, with its DRBD name and field values, and nothing may be malformed.
 *
 * <p>Two sources: a live capture by tshark on lo while the session crosses real loopback TCP sockets
 * (needs capture rights: root here; skipped where dumpcap is not permitted), and a pcap file we
 * synthesize from the same packets (always runs, so the dissector check never depends on rights).
 */
class WireCaptureIT {

    private static final int SYNTHETIC_SERVER_PORT = 7789;
    private static final int SYNTHETIC_DATA_CLIENT_PORT = 41001;
    private static final int SYNTHETIC_META_CLIENT_PORT = 41002;

    @TempDir
    Path directory;

    private List<Step> steps;

    @AfterEach
    void releaseScript() {
        if (steps != null) {
            WireTestSupport.release(steps.stream().map(Step::packet).toList());
        }
    }

    /** Which TCP ports carried the session: the listener and the two connecting sockets of node L. */
    private record Ports(int server, int dataClient, int metaClient) {
    }

    @Test
    void liveCaptureOfAReplicationSessionOnLoopbackDecodesAsDrbd() throws Exception {
        Path tshark = ExternalPrograms.require("tshark");
        steps = ReplicationSessionScript.build();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            int serverPort = server.getLocalPort();
            TsharkCapture capture;
            try {
                capture = TsharkCapture.start(tshark, serverPort, directory);
            } catch (TsharkCapture.CaptureNotPermittedException e) {
                Assumptions.abort(e.getMessage() + " (the synthesized-capture test still checks the bytes)");
                return;
            }
            try (capture) {
                capture.awaitLive(() -> probe(server), directory);
                Ports ports;
                Map<Side, Map<Stream, List<Packet>>> received;
                try (Socket dataL = new Socket(server.getInetAddress(), serverPort); Socket dataH = server.accept();
                     Socket metaL = new Socket(server.getInetAddress(), serverPort); Socket metaH = server.accept()) {
                    ports = new Ports(serverPort, dataL.getLocalPort(), metaL.getLocalPort());
                    Map<Side, Map<Stream, Socket>> sockets = Map.of(
                            Side.L, Map.of(Stream.DATA, dataL, Stream.META, metaL),
                            Side.H, Map.of(Stream.DATA, dataH, Stream.META, metaH));
                    send(sockets);
                    received = receive(sockets);
                }
                try {
                    assertThat(received.get(Side.H)).isEqualTo(expectedAt(Side.H));
                    assertThat(received.get(Side.L)).isEqualTo(expectedAt(Side.L));
                } finally {
                    received.values().forEach(byStream -> byStream.values().forEach(WireTestSupport::release));
                }
                capture.awaitDrbdPackets(steps.size(), directory);
                capture.close();
                checkCapture(tshark, capture.file(), ports);
            }
        }
    }

    @Test
    void synthesizedCaptureOfTheSameSessionDecodesAsDrbd() throws Exception {
        Path tshark = ExternalPrograms.require("tshark");
        steps = ReplicationSessionScript.build();
        PcapWriter pcap = new PcapWriter();
        Map<Stream, PcapWriter.Connection> connections = new EnumMap<>(Stream.class);
        connections.put(Stream.DATA, pcap.connect(SYNTHETIC_DATA_CLIENT_PORT, SYNTHETIC_SERVER_PORT));
        connections.put(Stream.META, pcap.connect(SYNTHETIC_META_CLIENT_PORT, SYNTHETIC_SERVER_PORT));
        for (Step step : steps) {
            connections.get(step.stream()).send(step.from() == Side.L, WireTestSupport.encode(step.packet()));
        }
        connections.values().forEach(PcapWriter.Connection::close);
        Path file = directory.resolve("synthesized.pcap");
        pcap.writeTo(file);
        checkCapture(tshark, file, new Ports(SYNTHETIC_SERVER_PORT, SYNTHETIC_DATA_CLIENT_PORT,
                SYNTHETIC_META_CLIENT_PORT));
    }

    /** A short non-DRBD exchange on the listener, accepted and closed. */
    private static void probe(ServerSocket server) throws java.io.IOException {
        try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write("probe".getBytes(StandardCharsets.US_ASCII));
            accepted.getInputStream().readNBytes(5);
        }
    }

    private void send(Map<Side, Map<Stream, Socket>> sockets) throws Exception {
        for (Step step : steps) {
            Socket socket = sockets.get(step.from()).get(step.stream());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(WireTestSupport.encode(step.packet()));
            out.flush();
        }
        for (Map<Stream, Socket> bySide : sockets.values()) {
            for (Socket socket : bySide.values()) {
                socket.shutdownOutput();
            }
        }
    }

    /** Everything each side received, decoded by our own decoder from what TCP delivered. */
    private static Map<Side, Map<Stream, List<Packet>>> receive(Map<Side, Map<Stream, Socket>> sockets)
            throws Exception {
        Map<Side, Map<Stream, List<Packet>>> received = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Map<Stream, List<Packet>> byStream = new EnumMap<>(Stream.class);
            for (Stream stream : List.of(Stream.DATA, Stream.META)) {
                byte[] bytes = sockets.get(side).get(stream).getInputStream().readAllBytes();
                List<Packet> packets = new ArrayList<>();
                new FrameDecoder(stream).decode(Unpooled.wrappedBuffer(bytes), packets::add);
                byStream.put(stream, packets);
            }
            received.put(side, byStream);
        }
        return received;
    }

    private Map<Stream, List<Packet>> expectedAt(Side receiver) {
        Map<Stream, List<Packet>> expected = new EnumMap<>(Stream.class);
        expected.put(Stream.DATA, new ArrayList<>());
        expected.put(Stream.META, new ArrayList<>());
        for (Step step : steps) {
            if (step.from() != receiver) {
                expected.get(step.stream()).add(step.packet());
            }
        }
        return expected;
    }

    private void checkCapture(Path tshark, Path file, Ports ports) throws Exception {
        checkReferenceCommand(tshark, file);
        TsharkCapture.Result result = TsharkCapture.run(tshark, directory, "-r", file.toString(),
                "--enable-heuristic", "drbd_tcp", "-Y", "drbd", "-T", "pdml");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Files.writeString(directory.resolve("dissection.pdml"), result.stdout(), StandardCharsets.UTF_8);
        PdmlDocument pdml = PdmlDocument.parse(result.stdout());
        assertThat(pdml.malformedCount).as("malformed packets").isZero();
        for (Side from : Side.values()) {
            for (Stream stream : List.of(Stream.DATA, Stream.META)) {
                int clientPort = stream == Stream.DATA ? ports.dataClient() : ports.metaClient();
                int source = from == Side.L ? clientPort : ports.server();
                int destination = from == Side.L ? ports.server() : clientPort;
                List<DrbdPdu> seen = pdml.pdus.stream()
                        .filter(pdu -> pdu.sourcePort() == source && pdu.destinationPort() == destination).toList();
                List<Packet> sent = steps.stream().filter(s -> s.from() == from && s.stream() == stream)
                        .map(Step::packet).toList();
                assertThat(seen.stream().map(DrbdPdu::command).toList()).as("%s %s commands", from, stream)
                        .isEqualTo(sent.stream().map(p -> String.format("0x%04x", p.type().code())).toList());
                for (int i = 0; i < sent.size(); i++) {
                    DissectorExpectations.assertFields(sent.get(i), seen.get(i));
                }
            }
        }
    }

    /** The decode command of the wire reference §8.2, verbatim, and its malformed-frame check. */
    private void checkReferenceCommand(Path tshark, Path file) throws Exception {
        TsharkCapture.Result result = TsharkCapture.run(tshark, directory, "-r", file.toString(),
                "--enable-heuristic", "drbd_tcp", "-Y", "drbd", "-T", "fields", "-E", "header=y", "-E",
                "separator=,", "-E", "occurrence=a", "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.dstport",
                "-e", "drbd.command", "-e", "drbd.volume", "-e", "drbd.length", "-e", "drbd.sector", "-e",
                "drbd.block_id", "-e", "drbd.size", "-e", "drbd.dp_flags");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("frame.number,tcp.srcport,tcp.dstport,drbd.command,drbd.volume,"
                + "drbd.length,drbd.sector,drbd.block_id,drbd.size,drbd.dp_flags");
        List<String> tokens = lines.stream().skip(1).flatMap(line -> List.of(line.split(",")).stream()).toList();
        for (Step step : steps) {
            assertThat(tokens).as("command of %s in the reference output", step.packet().type())
                    .contains(String.format("0x%04x", step.packet().type().code()));
        }
        TsharkCapture.Result malformed = TsharkCapture.run(tshark, directory, "-r", file.toString(),
                "--enable-heuristic", "drbd_tcp", "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number");
        assertThat(malformed.exitCode()).isZero();
        assertThat(malformed.stdout().strip()).as("malformed frames").isEmpty();
    }
}
