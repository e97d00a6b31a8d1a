package io.jdrbd.sim;

/**
 * A failed simulation run, classified the way the replay report needs it: an engine assertion
 * (a programmer error inside the step), a correctness violation found by a checker (lost or
 * invented data, two primaries, leaked buffers), or a liveness failure (the cluster did not
 * converge after the faults stopped).
 */
public final class SimFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failure classes, in the order of the exit codes of {@code jdrbd sim}. */
    public enum Kind {
        ASSERTION(2), CORRECTNESS(3), LIVENESS(4);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;

    public SimFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SimFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
