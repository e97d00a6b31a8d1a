package io.jdrbd.blockdev;

import java.util.concurrent.CompletableFuture;

/**
 * Already-completed futures for synchronous devices. {@link #OK} is shared by every successful
 * operation so a synchronous success path allocates nothing; it ignores attempts to complete,
 * cancel or obtrude it, because a caller doing so would otherwise change the answer of every
 * other caller holding the same instance.
 */
public final class IoFutures {

    /** The shared, immutable, successful completion. */
    public static final CompletableFuture<IoResult> OK = new SealedFuture<>(IoResult.OK);

    private IoFutures() {
    }

    /** A completed future for {@code result}; the shared {@link #OK} when it is a success. */
    public static CompletableFuture<IoResult> of(IoResult result) {
        return result.ok() ? OK : new SealedFuture<>(result);
    }

    /** A completed future holding an error result. */
    public static CompletableFuture<IoResult> failed(IoError error, long offsetBytes, long lengthBytes,
                                                     String detail) {
        return new SealedFuture<>(IoResult.failed(error, offsetBytes, lengthBytes, detail));
    }

    /** A completed future that cannot be changed afterwards. */
    private static final class SealedFuture<T> extends CompletableFuture<T> {
        SealedFuture(T value) {
            super.complete(value);
        }

        @Override
        public boolean complete(T value) {
            return false;
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            return false;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public void obtrudeValue(T value) {
            throw new UnsupportedOperationException("shared completed future cannot be changed");
        }

        @Override
        public void obtrudeException(Throwable ex) {
            throw new UnsupportedOperationException("shared completed future cannot be changed");
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
