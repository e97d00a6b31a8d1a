package io.jdrbd.metadata;

/**
 * Meta-data bytes that do not form valid DRBD meta-data. {@link #field()} names the field at fault
 * in drbdmeta's dump vocabulary ("magic", "al-offset", "peer[3].bitmap-index", "al transaction 5 crc").
 */
public final class MetadataFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    public MetadataFormatException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
