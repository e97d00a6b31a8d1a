package io.jdrbd.node.runtime;

import io.jdrbd.nbd.ExportAccessListener;
import io.jdrbd.nbd.ExportSession;
import io.jdrbd.replication.engine.AdminVerb;
import io.jdrbd.replication.engine.EngineInput;
import io.jdrbd.replication.wire.Role;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DRBD 9's auto-promote for the NBD export: opening a Secondary's device promotes it if it may be
 * promoted, and the last close demotes it again; a device that cannot be promoted refuses the open
 * with DRBD's reason, as opening {@code /dev/drbdN} fails on a Secondary. A device promoted by an
 * administrator stays Primary when its clients leave.
 */
final class AutoPromoter implements ExportAccessListener {

    private final ResourceRuntime runtime;
    private final boolean autoPromote;
    private int openSessions;
    private boolean promotedByOpen;

    AutoPromoter(ResourceRuntime runtime, boolean autoPromote) {
        this.runtime = runtime;
        this.autoPromote = autoPromote;
    }

    @Override
    public CompletionStage<AccessDecision> onOpen(ExportSession session) {
        return runtime.onLoop(() -> runtime.engine().role()).thenCompose(role -> {
            if (role == Role.PRIMARY) {
                return opened();
            }
            if (!autoPromote) {
                return CompletableFuture.completedFuture(AccessDecision.refuse(
                        "resource " + runtime.name() + " is Secondary and auto-promote is off"));
            }
            return runtime.admin(AdminVerb.PRIMARY, EngineInput.AdminCommand.ALL_PEERS, 0).thenCompose(result -> {
                if (!result.ok()) {
                    return CompletableFuture.completedFuture(AccessDecision.refuse("auto-promote of "
                            + runtime.name() + " failed: (" + result.code() + ") " + result.text()));
                }
                return runtime.onLoop(() -> {
                    promotedByOpen = true;
                    return null;
                }).thenCompose(ignored -> opened());
            });
        });
    }

    private CompletableFuture<AccessDecision> opened() {
        return runtime.onLoop(() -> {
            openSessions++;
            runtime.sessionOpened();
            return AccessDecision.ALLOW;
        });
    }

    @Override
    public void onClose(ExportSession session) {
        runtime.onLoop(() -> {
            openSessions--;
            runtime.sessionClosed();
            if (openSessions == 0 && promotedByOpen) {
                promotedByOpen = false;
                runtime.admin(AdminVerb.SECONDARY, EngineInput.AdminCommand.ALL_PEERS, 0);
            }
            return null;
        });
    }
}
