package io.jdrbd.replication.engine;

import io.jdrbd.replication.wire.ProtocolPacket;

/** DRBD's replication protocols: when a write completes towards a peer. */
public enum Protocol {
    /** Local write done and the packet handed to the transport. */
    A(ProtocolPacket.PROTOCOL_A),
    /** ... and the peer has received it (P_RECV_ACK). */
    B(ProtocolPacket.PROTOCOL_B),
    /** ... and the peer has written it (P_WRITE_ACK). */
    C(ProtocolPacket.PROTOCOL_C);

    private final int wireCode;

    Protocol(int wireCode) {
        this.wireCode = wireCode;
    }

    /** The value in P_PROTOCOL (1 = A, 2 = B, 3 = C). */
    public int wireCode() {
        return wireCode;
    }

    /** The protocol with this P_PROTOCOL value, or {@code null}. */
    public static Protocol fromWireCode(int code) {
        for (Protocol protocol : values()) {
            if (protocol.wireCode == code) {
                return protocol;
            }
        }
        return null;
    }
}
