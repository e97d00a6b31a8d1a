package io.jdrbd.nbd;

import io.jdrbd.blockdev.Capabilities;

/** The transmission flags an export advertises, from the device's capabilities and the connection. */
final class TransmissionFlags {
    private TransmissionFlags() {
    }

    static int of(NbdExport export, boolean structuredReplies) {
        Capabilities caps = export.device().capabilities();
        int flags = NbdProtocol.TFLAG_HAS_FLAGS | NbdProtocol.TFLAG_SEND_CACHE;
        if (export.effectivelyReadOnly()) {
            flags |= NbdProtocol.TFLAG_READ_ONLY;
        } else {
            // Zeroing is always served: through the device's fast path, or as its ordinary write.
            flags |= NbdProtocol.TFLAG_SEND_WRITE_ZEROES | NbdProtocol.TFLAG_SEND_FAST_ZERO;
            if (caps.canTrim()) {
                flags |= NbdProtocol.TFLAG_SEND_TRIM;
            }
        }
        if (caps.canFlush()) {
            flags |= NbdProtocol.TFLAG_SEND_FLUSH;
        }
        if (caps.canFua()) {
            flags |= NbdProtocol.TFLAG_SEND_FUA;
        }
        if (structuredReplies) {
            // Every READ is answered with one content chunk, which is all DF asks for.
            flags |= NbdProtocol.TFLAG_SEND_DF;
        }
        if (caps.canMultiConn()) {
            flags |= NbdProtocol.TFLAG_CAN_MULTI_CONN;
        }
        return flags;
    }

    /** NBD_INFO_BLOCK_SIZE's preferred size: a power of 2, at least max(minimum, 512). */
    static int preferredBlockSize(NbdExport export, int maxPayloadBytes) {
        int physical = Math.max(512, export.device().physicalBlockSize());
        int preferred = Integer.highestOneBit(physical);
        preferred = Math.max(preferred, export.minimumBlockSize());
        return Math.min(preferred, Integer.highestOneBit(maxPayloadBytes));
    }
}
