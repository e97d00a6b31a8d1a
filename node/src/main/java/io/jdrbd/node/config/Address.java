package io.jdrbd.node.config;

/**
 * A network endpoint: address family ({@code ipv4}, {@code ipv6}, {@code ssocks}, {@code sdp}), the
 * address as written, and the port as written (drbdadm keeps e.g. {@code 1K} as text).
 */
public record Address(String family, String host, String port) {

    /** The port number (the written port with units applied; range-checked to 1..65535 by the parser). */
    public int portNumber() {
        Long value = NumberValue.parse(port, '1');
        return value == null ? -1 : (int) (long) value;
    }

    public boolean isIpv6() {
        return family.equals("ipv6");
    }

    /** As drbdadm prints it: {@code ipv4 10.0.0.1:7789} or {@code ipv6 [fd00::1]:7789}. */
    @Override
    public String toString() {
        return isIpv6() ? family + " [" + host + "]:" + port : family + " " + host + ":" + port;
    }
}
