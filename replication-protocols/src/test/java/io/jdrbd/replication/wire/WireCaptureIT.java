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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our packets are DRBD's packets: a scripted two-node session (handshake, data, acks, barriers, both
 * directions, both sockets) is sent over real loopback TCP while tshark captures it live on lo; the
 * capture is decoded by Wireshark's DRBD dissector with the command of the wire reference (§8.2), and
 * every packet must show up with the right name and field values and nothing may be malformed.
 */
class WireCaptureIT {

    @TempDir
    Path directory;

    @Test
    void wiresharkDecodesAReplicationSessionAsDrbd() throws Exception {
        Path tshark = ExternalPrograms.require("tshark");
        List<Step> steps = ReplicationSessionScript.build();
        Map<Side, Map<Stream, List<Packet>>> received;
        int serverPort;
        int dataClientPort;
        int metaClientPort;
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            serverPort = server.getLocalPort();
            try (TsharkCapture capture = TsharkCapture.start(tshark, serverPort, directory)) {
                try (Socket dataL = new Socket(server.getInetAddress(), serverPort); Socket dataH = server.accept();
                     Socket metaL = new Socket(server.getInetAddress(), serverPort); Socket metaH = server.accept()) {
                    dataClientPort = dataL.getLocalPort();
                    metaClientPort = metaL.getLocalPort();
                    Map<Side, Map<Stream, Socket>> sockets = Map.of(
                            Side.L, Map.of(Stream.DATA, dataL, Stream.META, metaL),
                            Side.H, Map.of(Stream.DATA, dataH, Stream.META, metaH));
                    send(steps, sockets);
                    received = receive(sockets);
                }
                capture.awaitPackets("drbd.command == 0x0047", 3, directory);
                capture.close();
                assertThat(received.get(Side.H)).isEqualTo(expectedAt(Side.H, steps));
                assertThat(received.get(Side.L)).isEqualTo(expectedAt(Side.L, steps));
                received.values().forEach(byStream -> byStream.values().forEach(WireTestSupport::release));
                checkReferenceCommand(capture);
                checkDissection(capture, steps, serverPort, dataClientPort, metaClientPort);
            }
        } finally {
            WireTestSupport.release(steps.stream().map(Step::packet).toList());
        }
    }

    private static void send(List<Step> steps, Map<Side, Map<Stream, Socket>> sockets) throws Exception {
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

    private static Map<Stream, List<Packet>> expectedAt(Side receiver, List<Step> steps) {
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

    /** The decode command of the wire reference §8.2, verbatim. */
    private void checkReferenceCommand(TsharkCapture capture) throws Exception {
        TsharkCapture.Result result = capture.run(directory, "-r", capture.file().toString(), "--enable-heuristic",
                "drbd_tcp", "-Y", "drbd", "-T", "fields", "-E", "header=y", "-E", "separator=,", "-E",
                "occurrence=a", "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e",
                "drbd.command", "-e", "drbd.volume", "-e", "drbd.length", "-e", "drbd.sector", "-e",
                "drbd.block_id", "-e", "drbd.size", "-e", "drbd.dp_flags");
        Files.writeString(directory.resolve("reference-fields.csv"), result.stdout(), StandardCharsets.UTF_8);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("frame.number,tcp.srcport,tcp.dstport,drbd.command,drbd.volume,"
                + "drbd.length,drbd.sector,drbd.block_id,drbd.size,drbd.dp_flags");
        String all = result.stdout();
        for (String code : List.of("0xfff2", "0xfff1", "0xfffe", "0x0010", "0x0011", "0x000b", "0x002e", "0x0023",
                "0x000d", "0x0042", "0x000e", "0x0045", "0x0047", "0x0000", "0x0036", "0x0003", "0x0016", "0x001c",
                "0x0040", "0x0013", "0x0014")) {
            assertThat(all).as("command %s in the reference command's output", code).contains(code);
        }
        TsharkCapture.Result malformed = capture.run(directory, "-r", capture.file().toString(),
                "--enable-heuristic", "drbd_tcp", "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number");
        assertThat(malformed.exitCode()).isZero();
        assertThat(malformed.stdout().strip()).as("malformed frames").isEmpty();
    }

    private void checkDissection(TsharkCapture capture, List<Step> steps, int serverPort, int dataClientPort,
                                 int metaClientPort) throws Exception {
        TsharkCapture.Result result = capture.run(directory, "-r", capture.file().toString(), "--enable-heuristic",
                "drbd_tcp", "-Y", "drbd", "-T", "pdml");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Files.writeString(directory.resolve("dissection.pdml"), result.stdout(), StandardCharsets.UTF_8);
        Files.writeString(Path.of("target", "wire-capture.pdml"), result.stdout(), StandardCharsets.UTF_8);
        PdmlDocument pdml = PdmlDocument.parse(result.stdout());
        assertThat(pdml.malformedCount).as("malformed packets").isZero();
        for (Side from : Side.values()) {
            for (Stream stream : List.of(Stream.DATA, Stream.META)) {
                int clientPort = stream == Stream.DATA ? dataClientPort : metaClientPort;
                int source = from == Side.L ? clientPort : serverPort;
                int destination = from == Side.L ? serverPort : clientPort;
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

}
