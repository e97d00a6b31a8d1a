package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One option the client sent during the handshake. {@code data} is a retained slice of the
 * receive buffer (the receiver releases it), or an empty buffer when the data was longer than the
 * decoder's cap and was discarded unread ({@code dataTooLong}).
 */
public final class OptionRequest {
    private final int option;
    private final ByteBuf data;
    private final long dataLengthBytes;
    private final boolean dataTooLong;

    OptionRequest(int option, ByteBuf data, long dataLengthBytes, boolean dataTooLong) {
        this.option = option;
        this.data = data;
        this.dataLengthBytes = dataLengthBytes;
        this.dataTooLong = dataTooLong;
    }

    public int option() {
        return option;
    }

    public ByteBuf data() {
        return data;
    }

    /** The length the client declared (also when the data was discarded). */
    public long dataLengthBytes() {
        return dataLengthBytes;
    }

    public boolean dataTooLong() {
        return dataTooLong;
    }

    public void release() {
        ReferenceCounted held = data;
        held.release();
    }

    @Override
    public String toString() {
        return NbdProtocol.optionName(option) + " (" + dataLengthBytes + " bytes of data)";
    }
}
