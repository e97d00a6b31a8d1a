package io.jdrbd.nbd;

import io.jdrbd.blockdev.IoError;

/**
 * Constants of the NBD protocol (NetworkBlockDevice/nbd {@code doc/proto.md}), with the names the
 * specification uses. Every multi-byte field on the wire is big-endian.
 */
public final class NbdProtocol {
    private NbdProtocol() {
    }

    // Magic numbers.
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    public static final long IHAVEOPT = 0x49484156454F5054L;
    public static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;
    public static final int REQUEST_MAGIC = 0x25609513;
    public static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

    // Handshake flags (server) and client flags.
    public static final int FLAG_FIXED_NEWSTYLE = 1;
    public static final int FLAG_NO_ZEROES = 1 << 1;
    public static final int FLAG_C_FIXED_NEWSTYLE = 1;
    public static final int FLAG_C_NO_ZEROES = 1 << 1;

    // Options.
    public static final int OPT_EXPORT_NAME = 1;
    public static final int OPT_ABORT = 2;
    public static final int OPT_LIST = 3;
    public static final int OPT_STARTTLS = 5;
    public static final int OPT_INFO = 6;
    public static final int OPT_GO = 7;
    public static final int OPT_STRUCTURED_REPLY = 8;
    public static final int OPT_LIST_META_CONTEXT = 9;
    public static final int OPT_SET_META_CONTEXT = 10;

    // Option reply types.
    public static final int REP_ACK = 1;
    public static final int REP_SERVER = 2;
    public static final int REP_INFO = 3;
    public static final int REP_META_CONTEXT = 4;
    public static final int REP_ERR_UNSUP = 0x80000001;
    public static final int REP_ERR_POLICY = 0x80000002;
    public static final int REP_ERR_INVALID = 0x80000003;
    public static final int REP_ERR_PLATFORM = 0x80000004;
    public static final int REP_ERR_TLS_REQD = 0x80000005;
    public static final int REP_ERR_UNKNOWN = 0x80000006;
    public static final int REP_ERR_SHUTDOWN = 0x80000007;
    public static final int REP_ERR_BLOCK_SIZE_REQD = 0x80000008;
    public static final int REP_ERR_TOO_BIG = 0x80000009;

    // NBD_INFO items.
    public static final int INFO_EXPORT = 0;
    public static final int INFO_NAME = 1;
    public static final int INFO_DESCRIPTION = 2;
    public static final int INFO_BLOCK_SIZE = 3;

    // Commands.
    public static final int CMD_READ = 0;
    public static final int CMD_WRITE = 1;
    public static final int CMD_DISC = 2;
    public static final int CMD_FLUSH = 3;
    public static final int CMD_TRIM = 4;
    public static final int CMD_CACHE = 5;
    public static final int CMD_WRITE_ZEROES = 6;
    public static final int CMD_BLOCK_STATUS = 7;

    // Command flags.
    public static final int CMD_FLAG_FUA = 1;
    public static final int CMD_FLAG_NO_HOLE = 1 << 1;
    public static final int CMD_FLAG_DF = 1 << 2;
    public static final int CMD_FLAG_REQ_ONE = 1 << 3;
    public static final int CMD_FLAG_FAST_ZERO = 1 << 4;

    // Transmission flags.
    public static final int TFLAG_HAS_FLAGS = 1;
    public static final int TFLAG_READ_ONLY = 1 << 1;
    public static final int TFLAG_SEND_FLUSH = 1 << 2;
    public static final int TFLAG_SEND_FUA = 1 << 3;
    public static final int TFLAG_ROTATIONAL = 1 << 4;
    public static final int TFLAG_SEND_TRIM = 1 << 5;
    public static final int TFLAG_SEND_WRITE_ZEROES = 1 << 6;
    public static final int TFLAG_SEND_DF = 1 << 7;
    public static final int TFLAG_CAN_MULTI_CONN = 1 << 8;
    public static final int TFLAG_SEND_CACHE = 1 << 10;
    public static final int TFLAG_SEND_FAST_ZERO = 1 << 11;

    // Structured replies.
    public static final int REPLY_FLAG_DONE = 1;
    public static final int REPLY_TYPE_NONE = 0;
    public static final int REPLY_TYPE_OFFSET_DATA = 1;
    public static final int REPLY_TYPE_OFFSET_HOLE = 2;
    public static final int REPLY_TYPE_BLOCK_STATUS = 5;
    public static final int REPLY_TYPE_ERROR = 0x8001;
    public static final int REPLY_TYPE_ERROR_OFFSET = 0x8002;

    // Error values carried in replies (fixed by the protocol, not the host's errno).
    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int ENOMEM = 12;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSUP = 95;
    public static final int ESHUTDOWN = 108;

    // base:allocation.
    public static final String CONTEXT_BASE_ALLOCATION = "base:allocation";
    public static final int STATE_HOLE = 1;
    public static final int STATE_ZERO = 1 << 1;

    // Sizes.
    public static final int GREETING_BYTES = 18;
    public static final int CLIENT_FLAGS_BYTES = 4;
    public static final int OPTION_HEADER_BYTES = 16;
    public static final int OPTION_REPLY_HEADER_BYTES = 20;
    public static final int REQUEST_HEADER_BYTES = 28;
    public static final int SIMPLE_REPLY_BYTES = 16;
    public static final int CHUNK_HEADER_BYTES = 20;
    public static final int EXPORT_NAME_PADDING_BYTES = 124;
    /** Strings (export names, context names, messages) MUST be at most this long. */
    public static final int MAX_STRING_BYTES = 4096;

    /** Maps a block-device error to the NBD error value of the same meaning. */
    public static int errorOf(IoError error) {
        switch (error) {
            case EPERM:
                return EPERM;
            case EINVAL:
                return EINVAL;
            case ENOSPC:
                return ENOSPC;
            case ENOTSUP:
                return ENOTSUP;
            case EOVERFLOW:
                return EOVERFLOW;
            case ESHUTDOWN:
                return ESHUTDOWN;
            case EIO:
            default:
                return EIO;
        }
    }

    /** A readable name for an option code, for messages and logs. */
    public static String optionName(int option) {
        switch (option) {
            case OPT_EXPORT_NAME: return "NBD_OPT_EXPORT_NAME";
            case OPT_ABORT: return "NBD_OPT_ABORT";
            case OPT_LIST: return "NBD_OPT_LIST";
            case OPT_STARTTLS: return "NBD_OPT_STARTTLS";
            case OPT_INFO: return "NBD_OPT_INFO";
            case OPT_GO: return "NBD_OPT_GO";
            case OPT_STRUCTURED_REPLY: return "NBD_OPT_STRUCTURED_REPLY";
            case OPT_LIST_META_CONTEXT: return "NBD_OPT_LIST_META_CONTEXT";
            case OPT_SET_META_CONTEXT: return "NBD_OPT_SET_META_CONTEXT";
            default: return "option " + Integer.toUnsignedString(option);
        }
    }

    /** A readable name for a command type. */
    public static String commandName(int type) {
        switch (type) {
            case CMD_READ: return "NBD_CMD_READ";
            case CMD_WRITE: return "NBD_CMD_WRITE";
            case CMD_DISC: return "NBD_CMD_DISC";
            case CMD_FLUSH: return "NBD_CMD_FLUSH";
            case CMD_TRIM: return "NBD_CMD_TRIM";
            case CMD_CACHE: return "NBD_CMD_CACHE";
            case CMD_WRITE_ZEROES: return "NBD_CMD_WRITE_ZEROES";
            case CMD_BLOCK_STATUS: return "NBD_CMD_BLOCK_STATUS";
            default: return "command " + type;
        }
    }
}
