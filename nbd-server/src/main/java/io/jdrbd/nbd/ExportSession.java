package io.jdrbd.nbd;

import java.net.SocketAddress;

/**
 * A client's use of one export, from a successful open until its connection has closed and its
 * requests have completed.
 *
 * @param sessionId  unique within the server's lifetime
 * @param exportName the canonical export name (never the empty alias of the default export)
 * @param remote     the client's address
 * @param writable   the session may send writes (the export is not read-only)
 */
public record ExportSession(long sessionId, String exportName, SocketAddress remote, boolean writable) {
}
