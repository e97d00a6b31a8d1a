package io.jdrbd.nbd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Told when a client session opens an export (at NBD_OPT_GO or NBD_OPT_EXPORT_NAME) and when it
 * closes (the connection ended and every request it started has completed). {@link #onOpen} may
 * refuse, or take its time (e.g. to promote a DRBD resource before the first writer): the
 * handshake waits for the answer without blocking the event loop. A refusal reaches the client as
 * {@code NBD_REP_ERR_POLICY} with the reason as message (NBD_OPT_GO), or as a closed connection
 * (NBD_OPT_EXPORT_NAME, which cannot carry an error). Calls may come from any I/O thread;
 * {@link #onClose} is called exactly once for every session whose open was allowed.
 */
public interface ExportAccessListener {

    /** Allows every session and ignores closes. */
    ExportAccessListener ALLOW_ALL = new ExportAccessListener() {
        @Override
        public CompletionStage<AccessDecision> onOpen(ExportSession session) {
            return CompletableFuture.completedFuture(AccessDecision.ALLOW);
        }

        @Override
        public void onClose(ExportSession session) {
        }
    };

    CompletionStage<AccessDecision> onOpen(ExportSession session);

    void onClose(ExportSession session);

    /** The answer to {@link #onOpen}. */
    record AccessDecision(boolean allowed, String reason) {
        public static final AccessDecision ALLOW = new AccessDecision(true, "");

        public static AccessDecision refuse(String reason) {
            return new AccessDecision(false, reason);
        }
    }
}
