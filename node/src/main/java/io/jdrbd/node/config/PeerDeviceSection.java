package io.jdrbd.node.config;

/** {@code volume N { disk { ... } }} inside a connection: peer-device options for one volume. */
public record PeerDeviceSection(int volume, boolean implicit, OptionList options) {
}
