package io.jdrbd.metadata.disk;

import io.jdrbd.blockdev.IoResult;

/** A meta-data read or write failed on the device; carries the device's {@link IoResult}. */
public final class MetadataIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient IoResult result;

    public MetadataIoException(String what, IoResult result) {
        super(what + ": " + result);
        this.result = result;
    }

    public IoResult result() {
        return result;
    }
}
