package io.jdrbd.replication.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic libpcap file (Ethernet link type) of loopback TCP connections, synthesizing the
 * Ethernet, IPv4 and TCP headers around payloads: the fallback when live capture is not permitted, so
 * that our bytes still go through Wireshark's dissector. TCP checksums are left zero (Wireshark does
 * not verify them by default); the IPv4 header checksum is computed.
 */
final class PcapWriter {

    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 262_144;
    private static final int MAX_SEGMENT_PAYLOAD = 65_000;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_ACK = 0x10;

    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private long timeMicros = 1_700_000_000_000_000L;
    private int ipId = 1;

    /** One TCP connection between a client port and a server port on 127.0.0.1. */
    final class Connection {
        private final int clientPort;
        private final int serverPort;
        private long clientSeq = 1000;
        private long serverSeq = 5000;

        private Connection(int clientPort, int serverPort) {
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            frame(clientPort, serverPort, clientSeq, 0, TCP_SYN, new byte[0]);
            frame(serverPort, clientPort, serverSeq, clientSeq + 1, TCP_SYN | TCP_ACK, new byte[0]);
            clientSeq++;
            serverSeq++;
            frame(clientPort, serverPort, clientSeq, serverSeq, TCP_ACK, new byte[0]);
        }

        /** Payload from the client (connecting side) when {@code fromClient}, else from the server. */
        void send(boolean fromClient, byte[] payload) {
            for (int offset = 0; offset < payload.length; offset += MAX_SEGMENT_PAYLOAD) {
                byte[] segment = java.util.Arrays.copyOfRange(payload, offset,
                        Math.min(payload.length, offset + MAX_SEGMENT_PAYLOAD));
                if (fromClient) {
                    frame(clientPort, serverPort, clientSeq, serverSeq, TCP_PSH | TCP_ACK, segment);
                    clientSeq += segment.length;
                    frame(serverPort, clientPort, serverSeq, clientSeq, TCP_ACK, new byte[0]);
                } else {
                    frame(serverPort, clientPort, serverSeq, clientSeq, TCP_PSH | TCP_ACK, segment);
                    serverSeq += segment.length;
                    frame(clientPort, serverPort, clientSeq, serverSeq, TCP_ACK, new byte[0]);
                }
            }
        }

        void close() {
            frame(clientPort, serverPort, clientSeq, serverSeq, TCP_FIN | TCP_ACK, new byte[0]);
            clientSeq++;
            frame(serverPort, clientPort, serverSeq, clientSeq, TCP_FIN | TCP_ACK, new byte[0]);
            serverSeq++;
            frame(clientPort, serverPort, clientSeq, serverSeq, TCP_ACK, new byte[0]);
        }
    }

    PcapWriter() {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET);
        file.writeBytes(header.array());
    }

    Connection connect(int clientPort, int serverPort) {
        return new Connection(clientPort, serverPort);
    }

    void writeTo(Path path) throws IOException {
        Files.write(path, file.toByteArray());
    }

    private void frame(int sourcePort, int destinationPort, long seq, long ack, int flags, byte[] payload) {
        int ipLength = 20 + 20 + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(14 + ipLength).order(ByteOrder.BIG_ENDIAN);
        frame.put(new byte[12]).putShort((short) 0x0800);
        int ipStart = frame.position();
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) ipId++)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(0x7F000001).putInt(0x7F000001);
        frame.putShort(ipStart + 10, (short) ipChecksum(frame.array(), ipStart));
        frame.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0);
        frame.put(payload);
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        timeMicros += 10;
        record.putInt((int) (timeMicros / 1_000_000)).putInt((int) (timeMicros % 1_000_000))
                .putInt(frame.capacity()).putInt(frame.capacity());
        file.writeBytes(record.array());
        file.writeBytes(frame.array());
    }

    private static int ipChecksum(byte[] bytes, int start) {
        int sum = 0;
        for (int i = start; i < start + 20; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
