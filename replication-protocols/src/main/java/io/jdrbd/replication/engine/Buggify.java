package io.jdrbd.replication.engine;

/**
 * Fault hooks inside the engine (after FoundationDB's BUGGIFY): at a named site the engine asks whether
 * to take a rare but legal path (e.g. close an epoch early). Off in production; the simulator passes a
 * seeded implementation that fires at some sites of some runs.
 */
public interface Buggify {

    /** Never fires. */
    Buggify OFF = site -> false;

    /** True if the rare path at {@code site} should be taken now. */
    boolean fire(String site);
}
