package io.jdrbd.nbd;

import io.jdrbd.nbd.ExportAccessListener.AccessDecision;
import io.jdrbd.nbd.OptionParser.InfoRequest;
import io.jdrbd.nbd.OptionParser.InvalidOption;
import io.jdrbd.nbd.OptionParser.MetaContextRequest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLEngine;

/**
 * The option haggling of the fixed-newstyle handshake for one connection: answers every option
 * with the reply the NBD specification prescribes (nbdkit's choice where it leaves one), keeps the
 * negotiated state (structured replies, the selected meta context, TLS), and opens the export at
 * NBD_OPT_GO / NBD_OPT_EXPORT_NAME after asking its {@link ExportAccessListener}.
 */
final class OptionNegotiation {
    private static final System.Logger LOG = System.getLogger(OptionNegotiation.class.getName());

    /** The id handed out for base:allocation by NBD_OPT_SET_META_CONTEXT (any value is legal). */
    static final int BASE_ALLOCATION_ID = 1;

    private final ServerContext server;
    private final NbdConnection connection;
    private boolean fixedNewstyle;
    private boolean noZeroes;
    private boolean structuredReplies;
    private boolean tlsActive;
    private boolean baseAllocationSelected;
    private String metaContextExport;
    private int optionsSeen;
    private boolean opening;

    OptionNegotiation(ServerContext server, NbdConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    void onClientFlags(int flags) {
        if ((flags & ~(NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES)) != 0) {
            throw new NbdProtocolException("unknown client flags 0x" + Integer.toHexString(flags));
        }
        fixedNewstyle = (flags & NbdProtocol.FLAG_C_FIXED_NEWSTYLE) != 0;
        noZeroes = (flags & NbdProtocol.FLAG_C_NO_ZEROES) != 0;
    }

    void onOption(OptionRequest request) {
        try {
            if (opening) {
                throw new NbdProtocolException("option sent before the reply to NBD_OPT_GO");
            }
            if (++optionsSeen > server.config().maxOptionsPerHandshake()) {
                throw new NbdProtocolException("more than " + server.config().maxOptionsPerHandshake()
                        + " options without entering transmission");
            }
            dispatch(request);
        } finally {
            request.release();
        }
    }

    private void dispatch(OptionRequest request) {
        int option = request.option();
        if (option == NbdProtocol.OPT_EXPORT_NAME) {
            onExportName(request);
            return;
        }
        if (!fixedNewstyle) {
            replyError(option, NbdProtocol.REP_ERR_INVALID,
                    "client did not set NBD_FLAG_C_FIXED_NEWSTYLE: only NBD_OPT_EXPORT_NAME is allowed");
            return;
        }
        if (request.dataTooLong()) {
            replyError(option, NbdProtocol.REP_ERR_TOO_BIG, NbdProtocol.optionName(option) + " data of "
                    + request.dataLengthBytes() + " bytes exceeds the server's limit");
            return;
        }
        boolean tlsExempt = option == NbdProtocol.OPT_STARTTLS || option == NbdProtocol.OPT_ABORT;
        if (server.config().tlsRequired() && !tlsActive && !tlsExempt) {
            replyError(option, NbdProtocol.REP_ERR_TLS_REQD,
                    "TLS is required: send NBD_OPT_STARTTLS before " + NbdProtocol.optionName(option));
            return;
        }
        switch (option) {
            case NbdProtocol.OPT_ABORT:
                connection.context().writeAndFlush(ReplyEncoder.optionReply(alloc(), option, NbdProtocol.REP_ACK,
                        new byte[0])).addListener(ChannelFutureListener.CLOSE);
                connection.ignoreInput();
                return;
            case NbdProtocol.OPT_LIST:
                onList(request);
                return;
            case NbdProtocol.OPT_STARTTLS:
                onStartTls(request);
                return;
            case NbdProtocol.OPT_INFO:
            case NbdProtocol.OPT_GO:
                onInfoOrGo(request);
                return;
            case NbdProtocol.OPT_STRUCTURED_REPLY:
                if (request.dataLengthBytes() != 0) {
                    replyError(option, NbdProtocol.REP_ERR_INVALID, "NBD_OPT_STRUCTURED_REPLY takes no data");
                    return;
                }
                structuredReplies = true;
                replyAck(option);
                return;
            case NbdProtocol.OPT_LIST_META_CONTEXT:
            case NbdProtocol.OPT_SET_META_CONTEXT:
                onMetaContext(request);
                return;
            default:
                replyError(option, NbdProtocol.REP_ERR_UNSUP, NbdProtocol.optionName(option) + " is not supported");
        }
    }

    private void onExportName(OptionRequest request) {
        if (request.dataTooLong() || request.dataLengthBytes() > NbdProtocol.MAX_STRING_BYTES) {
            throw new NbdProtocolException("NBD_OPT_EXPORT_NAME with a name of " + request.dataLengthBytes()
                    + " bytes");
        }
        if (server.config().tlsRequired() && !tlsActive) {
            throw new NbdProtocolException("NBD_OPT_EXPORT_NAME before STARTTLS on a server that requires TLS");
        }
        String name = request.data().toString(StandardCharsets.UTF_8);
        Optional<NbdExport> export = server.exports().resolve(name);
        if (export.isEmpty()) {
            // EXPORT_NAME cannot carry an error: closing is the only answer the protocol has.
            throw new NbdProtocolException("NBD_OPT_EXPORT_NAME for unknown export '" + name + "'");
        }
        open(export.get(), decision -> {
            if (!decision.allowed()) {
                LOG.log(System.Logger.Level.INFO, "export ''{0}'' refused: {1}", name, decision.reason());
                connection.context().close();
                return false;
            }
            NbdExport opened = export.get();
            connection.context().writeAndFlush(ReplyEncoder.exportNameReply(alloc(), opened.device().sizeBytes(),
                    TransmissionFlags.of(opened, structuredReplies), noZeroes));
            return true;
        }, false);
    }

    private void onList(OptionRequest request) {
        if (request.dataLengthBytes() != 0) {
            replyError(request.option(), NbdProtocol.REP_ERR_INVALID, "NBD_OPT_LIST takes no data");
            return;
        }
        ChannelHandlerContext ctx = connection.context();
        for (NbdExport export : server.exports().list()) {
            ctx.write(ReplyEncoder.serverReply(alloc(), export.name(), export.description()));
        }
        replyAck(request.option());
    }

    private void onStartTls(OptionRequest request) {
        int option = request.option();
        if (request.dataLengthBytes() != 0) {
            replyError(option, NbdProtocol.REP_ERR_INVALID, "NBD_OPT_STARTTLS takes no data");
            return;
        }
        if (tlsActive) {
            replyError(option, NbdProtocol.REP_ERR_INVALID, "TLS is already active");
            return;
        }
        SslContext tls = server.config().tls();
        if (tls == null) {
            replyError(option, NbdProtocol.REP_ERR_POLICY, "TLS is not configured on this server");
            return;
        }
        if (connection.bufferedInputBytes() > 0) {
            throw new NbdProtocolException("client sent data after NBD_OPT_STARTTLS before its reply");
        }
        ChannelHandlerContext ctx = connection.context();
        SSLEngine engine = tls.newEngine(ctx.alloc());
        // startTls: the first write (our ACK) leaves in clear text, everything after is encrypted.
        SslHandler sslHandler = new SslHandler(engine, true);
        ctx.pipeline().addFirst("tls", sslHandler);
        replyAck(option);
        sslHandler.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, "TLS handshake failed: {0}", done.cause().toString());
                ctx.close();
            }
        });
        // Everything negotiated in clear text is forgotten (NBD spec, STARTTLS).
        tlsActive = true;
        structuredReplies = false;
        baseAllocationSelected = false;
        metaContextExport = null;
    }

    private void onInfoOrGo(OptionRequest request) {
        int option = request.option();
        InfoRequest info;
        try {
            info = OptionParser.parseInfo(request.data());
        } catch (InvalidOption e) {
            replyError(option, NbdProtocol.REP_ERR_INVALID, NbdProtocol.optionName(option) + ": " + e.getMessage());
            return;
        }
        Optional<NbdExport> found = server.exports().resolve(info.name());
        if (found.isEmpty()) {
            replyError(option, NbdProtocol.REP_ERR_UNKNOWN, "export '" + info.name() + "' does not exist");
            return;
        }
        NbdExport export = found.get();
        if (option == NbdProtocol.OPT_INFO) {
            writeInfoReplies(option, export, info);
            return;
        }
        open(export, decision -> {
            if (!decision.allowed()) {
                replyError(option, NbdProtocol.REP_ERR_POLICY, "export '" + export.name() + "' refused: "
                        + decision.reason());
                return false;
            }
            writeInfoReplies(option, export, info);
            return true;
        }, true);
    }

    private void writeInfoReplies(int option, NbdExport export, InfoRequest info) {
        ChannelHandlerContext ctx = connection.context();
        int maxPayload = server.config().maxPayloadBytes();
        ctx.write(ReplyEncoder.infoExport(alloc(), option, export.device().sizeBytes(),
                TransmissionFlags.of(export, structuredReplies)));
        if (info.wants(NbdProtocol.INFO_NAME)) {
            ctx.write(ReplyEncoder.infoText(alloc(), option, NbdProtocol.INFO_NAME, export.name()));
        }
        if (info.wants(NbdProtocol.INFO_DESCRIPTION)) {
            ctx.write(ReplyEncoder.infoText(alloc(), option, NbdProtocol.INFO_DESCRIPTION, export.description()));
        }
        ctx.write(ReplyEncoder.infoBlockSize(alloc(), option, export.minimumBlockSize(),
                TransmissionFlags.preferredBlockSize(export, maxPayload), maxPayload));
        replyAck(option);
    }

    private void onMetaContext(OptionRequest request) {
        int option = request.option();
        boolean set = option == NbdProtocol.OPT_SET_META_CONTEXT;
        if (set) {
            // SET replaces the selection even when it fails.
            baseAllocationSelected = false;
            metaContextExport = null;
            if (!structuredReplies) {
                replyError(option, NbdProtocol.REP_ERR_INVALID,
                        "NBD_OPT_SET_META_CONTEXT needs NBD_OPT_STRUCTURED_REPLY first");
                return;
            }
        }
        MetaContextRequest meta;
        try {
            meta = OptionParser.parseMetaContext(request.data());
        } catch (InvalidOption e) {
            replyError(option, NbdProtocol.REP_ERR_INVALID, NbdProtocol.optionName(option) + ": " + e.getMessage());
            return;
        }
        Optional<NbdExport> export = server.exports().resolve(meta.name());
        if (export.isEmpty()) {
            replyError(option, NbdProtocol.REP_ERR_UNKNOWN, "export '" + meta.name() + "' does not exist");
            return;
        }
        boolean matched = set ? meta.queries().contains(NbdProtocol.CONTEXT_BASE_ALLOCATION)
                : meta.queries().isEmpty() || meta.queries().stream().anyMatch(
                        q -> q.equals(NbdProtocol.CONTEXT_BASE_ALLOCATION) || q.equals("base:"));
        if (matched) {
            connection.context().write(ReplyEncoder.metaContext(alloc(), option, set ? BASE_ALLOCATION_ID : 0,
                    NbdProtocol.CONTEXT_BASE_ALLOCATION));
        }
        if (set) {
            baseAllocationSelected = matched;
            metaContextExport = export.get().name();
        }
        replyAck(option);
    }

    /** What to do with the listener's decision; returns whether transmission starts. */
    private interface OpenStep {
        boolean apply(AccessDecision decision);
    }

    /**
     * Asks the export's listener whether this session may open it, pausing input meanwhile, then
     * runs {@code step} on the event loop and enters transmission when it says so.
     */
    private void open(NbdExport export, OpenStep step, boolean resumeOnRefusal) {
        ChannelHandlerContext ctx = connection.context();
        ExportSession session = new ExportSession(server.nextSessionId(), export.name(),
                ctx.channel().remoteAddress(), !export.effectivelyReadOnly());
        opening = true;
        connection.pauseInput();
        CompletionStage<AccessDecision> decision;
        try {
            decision = export.accessListener().onOpen(session);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.whenComplete((answer, error) -> {
            if (ctx.executor().inEventLoop()) {
                onOpenDecided(export, session, step, resumeOnRefusal, answer, error);
            } else {
                ctx.executor().execute(() -> onOpenDecided(export, session, step, resumeOnRefusal, answer, error));
            }
        });
    }

    private void onOpenDecided(NbdExport export, ExportSession session, OpenStep step, boolean resumeOnRefusal,
                               AccessDecision answer, Throwable error) {
        ChannelHandlerContext ctx = connection.context();
        opening = false;
        AccessDecision decision = error != null ? AccessDecision.refuse("access check failed: " + error)
                : answer == null ? AccessDecision.refuse("access check gave no answer") : answer;
        if (!ctx.channel().isActive()) {
            if (decision.allowed()) {
                export.accessListener().onClose(session);
            }
            return;
        }
        boolean entered;
        try {
            entered = step.apply(decision);
        } catch (RuntimeException e) {
            if (decision.allowed()) {
                export.accessListener().onClose(session);
            }
            throw e;
        }
        if (entered) {
            boolean contextsCount = baseAllocationSelected && export.name().equals(metaContextExport);
            connection.enterTransmission(export, session, structuredReplies, structuredReplies && contextsCount);
        } else if (decision.allowed()) {
            export.accessListener().onClose(session);
        } else if (resumeOnRefusal) {
            connection.resumeHandshakeInput();
        }
    }

    private void replyAck(int option) {
        connection.context().writeAndFlush(ReplyEncoder.optionReply(alloc(), option, NbdProtocol.REP_ACK,
                new byte[0]));
    }

    private void replyError(int option, int error, String message) {
        connection.context().writeAndFlush(ReplyEncoder.optionError(alloc(), option, error, message));
    }

    private ByteBufAllocator alloc() {
        return connection.context().alloc();
    }
}
