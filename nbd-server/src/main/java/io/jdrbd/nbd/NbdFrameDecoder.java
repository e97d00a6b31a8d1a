package io.jdrbd.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The thin Netty adapter over the two pure decoders: {@link HandshakeDecoder} until the export is
 * opened, then {@link RequestDecoder}. The connection handler switches the phase synchronously
 * while handling a decoded message, so the bytes that follow are decoded in the new phase. While
 * an open waits for the export's access listener the decoder is paused (nothing is consumed); after
 * NBD_CMD_DISC input is ignored.
 */
final class NbdFrameDecoder extends ByteToMessageDecoder {

    private enum Phase { HANDSHAKE, PAUSED, TRANSMISSION, IGNORE }

    private final HandshakeDecoder handshake;
    private final RequestDecoder requests;
    private Phase phase = Phase.HANDSHAKE;
    private Phase phaseAfterPause = Phase.HANDSHAKE;

    NbdFrameDecoder(HandshakeDecoder handshake, RequestDecoder requests) {
        this.handshake = handshake;
        this.requests = requests;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (phase) {
            case HANDSHAKE: {
                Object message = handshake.decode(in);
                if (message != null) {
                    out.add(message);
                }
                return;
            }
            case TRANSMISSION: {
                NbdRequest request = requests.decode(in);
                if (request != null) {
                    out.add(request);
                }
                return;
            }
            case IGNORE:
                in.skipBytes(in.readableBytes());
                return;
            case PAUSED:
            default:
                return;
        }
    }

    HandshakeDecoder handshakeDecoder() {
        return handshake;
    }

    /** Stops decoding until {@link #resume} (input stays buffered). */
    void pause() {
        if (phase != Phase.PAUSED) {
            phaseAfterPause = phase;
            phase = Phase.PAUSED;
        }
    }

    /** Continues in the phase that was paused, decoding whatever arrived meanwhile. */
    void resume(ChannelHandlerContext decoderCtx) {
        if (phase == Phase.PAUSED) {
            phase = phaseAfterPause;
            redecode(decoderCtx);
        }
    }

    /** Switches to requests (from the handshake or a pause) and decodes whatever is buffered. */
    void startTransmission(ChannelHandlerContext decoderCtx) {
        boolean wasPaused = phase == Phase.PAUSED;
        phase = Phase.TRANSMISSION;
        if (wasPaused) {
            redecode(decoderCtx);
        }
    }

    void ignoreInput() {
        phase = Phase.IGNORE;
    }

    /** Bytes received but not yet decoded. */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    private void redecode(ChannelHandlerContext decoderCtx) {
        if (decoderCtx.channel().isActive() && bufferedBytes() > 0) {
            try {
                channelRead(decoderCtx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                decoderCtx.fireExceptionCaught(e);
            }
        }
    }
}
