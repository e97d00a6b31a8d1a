package io.jdrbd.proxy;

/** A frame on the outside link that breaks the framing rules of {@link LinkFrame}. */
public final class LinkFrameException extends RuntimeException {

    public LinkFrameException(String message) {
        super(message);
    }
}
