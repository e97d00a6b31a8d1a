package io.jdrbd.nbd;

/**
 * Checks a request at the edge, once, so the device sees only requests it can serve. The answers
 * follow the NBD specification and, where it leaves a choice, nbdkit: unknown commands and flags,
 * un-advertised commands, FLUSH with a range, misaligned and over-long requests get EINVAL; writes
 * of any kind to a read-only export get EPERM; a range that is empty or leaves the export gets
 * ENOSPC for WRITE/WRITE_ZEROES and EINVAL for everything else.
 */
final class RequestValidator {

    /** Why a request was refused: the NBD error and a message for structured replies and logs. */
    record Rejection(int error, String message) {
    }

    private static final int ALL_KNOWN_FLAGS = NbdProtocol.CMD_FLAG_FUA | NbdProtocol.CMD_FLAG_NO_HOLE
            | NbdProtocol.CMD_FLAG_DF | NbdProtocol.CMD_FLAG_REQ_ONE | NbdProtocol.CMD_FLAG_FAST_ZERO;

    private final long sizeBytes;
    private final int transmissionFlags;
    private final int minimumBlockSize;
    private final int maxPayloadBytes;
    private final boolean blockStatusAllowed;

    RequestValidator(long sizeBytes, int transmissionFlags, int minimumBlockSize, int maxPayloadBytes,
                     boolean blockStatusAllowed) {
        this.sizeBytes = sizeBytes;
        this.transmissionFlags = transmissionFlags;
        this.minimumBlockSize = minimumBlockSize;
        this.maxPayloadBytes = maxPayloadBytes;
        this.blockStatusAllowed = blockStatusAllowed;
    }

    /** {@code null} when the request may go to the device. */
    Rejection check(NbdRequest r) {
        int type = r.type();
        if (type < NbdProtocol.CMD_READ || type > NbdProtocol.CMD_BLOCK_STATUS || type == NbdProtocol.CMD_DISC) {
            return new Rejection(NbdProtocol.EINVAL, "unknown command " + type);
        }
        Rejection flags = checkFlags(r);
        if (flags != null) {
            return flags;
        }
        boolean writesData = type == NbdProtocol.CMD_WRITE || type == NbdProtocol.CMD_TRIM
                || type == NbdProtocol.CMD_WRITE_ZEROES;
        if (writesData && has(NbdProtocol.TFLAG_READ_ONLY)) {
            return new Rejection(NbdProtocol.EPERM, NbdProtocol.commandName(type) + " on a read-only export");
        }
        Rejection advertised = checkAdvertised(type);
        if (advertised != null) {
            return advertised;
        }
        if (type == NbdProtocol.CMD_FLUSH) {
            if (r.offset() != 0 || r.lengthBytes() != 0) {
                return new Rejection(NbdProtocol.EINVAL, "NBD_CMD_FLUSH must have offset and length 0");
            }
            return null;
        }
        boolean carriesData = type == NbdProtocol.CMD_READ || type == NbdProtocol.CMD_WRITE;
        if (carriesData && r.lengthBytes() > maxPayloadBytes) {
            return new Rejection(NbdProtocol.EINVAL, NbdProtocol.commandName(type) + " of " + r.lengthBytes()
                    + " bytes exceeds the maximum payload of " + maxPayloadBytes + " bytes");
        }
        Rejection range = checkRange(r, type == NbdProtocol.CMD_WRITE || type == NbdProtocol.CMD_WRITE_ZEROES);
        if (range != null) {
            return range;
        }
        boolean alignedIo = type != NbdProtocol.CMD_BLOCK_STATUS && type != NbdProtocol.CMD_CACHE;
        if (alignedIo && minimumBlockSize > 1
                && ((r.offset() | r.lengthBytes()) & (minimumBlockSize - 1)) != 0) {
            return new Rejection(NbdProtocol.EINVAL, NbdProtocol.commandName(type) + " at "
                    + Long.toUnsignedString(r.offset()) + "+" + r.lengthBytes()
                    + " is not aligned to the minimum block size " + minimumBlockSize);
        }
        return null;
    }

    private Rejection checkFlags(NbdRequest r) {
        int flags = r.flags();
        int type = r.type();
        if ((flags & ~ALL_KNOWN_FLAGS) != 0) {
            return badFlags(r, "unknown flags");
        }
        if ((flags & NbdProtocol.CMD_FLAG_FUA) != 0 && !has(NbdProtocol.TFLAG_SEND_FUA)) {
            return badFlags(r, "FUA was not advertised");
        }
        if ((flags & NbdProtocol.CMD_FLAG_NO_HOLE) != 0 && type != NbdProtocol.CMD_WRITE_ZEROES) {
            return badFlags(r, "NO_HOLE applies only to NBD_CMD_WRITE_ZEROES");
        }
        if ((flags & NbdProtocol.CMD_FLAG_FAST_ZERO) != 0
                && (type != NbdProtocol.CMD_WRITE_ZEROES || !has(NbdProtocol.TFLAG_SEND_FAST_ZERO))) {
            return badFlags(r, "FAST_ZERO applies only to an advertised NBD_CMD_WRITE_ZEROES");
        }
        if ((flags & NbdProtocol.CMD_FLAG_DF) != 0
                && (type != NbdProtocol.CMD_READ || !has(NbdProtocol.TFLAG_SEND_DF))) {
            return badFlags(r, "DF applies only to NBD_CMD_READ with structured replies");
        }
        if ((flags & NbdProtocol.CMD_FLAG_REQ_ONE) != 0 && type != NbdProtocol.CMD_BLOCK_STATUS) {
            return badFlags(r, "REQ_ONE applies only to NBD_CMD_BLOCK_STATUS");
        }
        return null;
    }

    private static Rejection badFlags(NbdRequest r, String why) {
        return new Rejection(NbdProtocol.EINVAL, "flags 0x" + Integer.toHexString(r.flags()) + " on "
                + NbdProtocol.commandName(r.type()) + ": " + why);
    }

    private Rejection checkAdvertised(int type) {
        if (type == NbdProtocol.CMD_FLUSH && !has(NbdProtocol.TFLAG_SEND_FLUSH)) {
            return new Rejection(NbdProtocol.EINVAL, "NBD_CMD_FLUSH was not advertised");
        }
        if (type == NbdProtocol.CMD_TRIM && !has(NbdProtocol.TFLAG_SEND_TRIM)) {
            return new Rejection(NbdProtocol.EINVAL, "NBD_CMD_TRIM was not advertised");
        }
        if (type == NbdProtocol.CMD_BLOCK_STATUS && !blockStatusAllowed) {
            return new Rejection(NbdProtocol.EINVAL,
                    "NBD_CMD_BLOCK_STATUS needs structured replies and a selected meta context");
        }
        return null;
    }

    private Rejection checkRange(NbdRequest r, boolean write) {
        long offset = r.offset();
        long length = r.lengthBytes();
        boolean outside = length == 0 || Long.compareUnsigned(offset, sizeBytes) > 0 || length > sizeBytes - offset;
        if (!outside) {
            return null;
        }
        String where = NbdProtocol.commandName(r.type()) + " at " + Long.toUnsignedString(offset) + "+" + length;
        String why = length == 0 ? " has length 0" : " is beyond the end of the export (" + sizeBytes + " bytes)";
        return new Rejection(write ? NbdProtocol.ENOSPC : NbdProtocol.EINVAL, where + why);
    }

    private boolean has(int flag) {
        return (transmissionFlags & flag) != 0;
    }
}
