package io.jdrbd.nbd;

/** The 32-bit client flags that follow the server's greeting. */
public record ClientFlags(int flags) {
}
