package io.jdrbd.cli.bench;

/** An NBD server that takes part in a benchmark: a label for the table and the URI fio connects to. */
public interface BenchServer extends AutoCloseable {

    String label();

    String uri();

    /** CPU time the server's processes have used so far, in ns; -1 when unknown (a server we did not start). */
    default long cpuNanos() {
        return -1;
    }

    /** Stops the server if the bench started it; never throws. */
    @Override
    void close();

    /** A server someone else runs: the bench only connects to it and cannot check who answers. */
    static BenchServer existing(String label, String uri) {
        return new BenchServer() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public String uri() {
                return uri;
            }

            @Override
            public void close() {
            }
        };
    }
}
