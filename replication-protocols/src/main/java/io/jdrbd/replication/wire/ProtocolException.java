package io.jdrbd.replication.wire;

/**
 * A peer sent bytes that are not a valid DRBD packet stream: wrong magic, unknown command, impossible
 * length, truncated or inconsistent field. DRBD drops the connection (ProtocolError) in this case; the
 * message names the packet and, where there is one, the field.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient PacketType packetType;
    private final String field;

    public ProtocolException(PacketType packetType, String field, String message) {
        super(compose(packetType, field, message));
        this.packetType = packetType;
        this.field = field;
    }

    public ProtocolException(String message) {
        this(null, null, message);
    }

    private static String compose(PacketType packetType, String field, String message) {
        StringBuilder text = new StringBuilder();
        if (packetType != null) {
            text.append(packetType).append(": ");
        }
        if (field != null) {
            text.append("field ").append(field).append(' ');
        }
        return text.append(message).toString();
    }

    /** The packet being decoded, or {@code null} when the header itself was bad. */
    public PacketType packetType() {
        return packetType;
    }

    /** The DRBD field name at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
