package io.jdrbd.nbd;

/**
 * The client broke the protocol in a way that cannot be answered with an error reply (bad magic,
 * a length beyond the hard cap, a forbidden client flag): the connection must be closed. The
 * message names the field and the stream offset where the decoder found the problem.
 */
public final class NbdProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NbdProtocolException(String message) {
        super(message);
    }
}
