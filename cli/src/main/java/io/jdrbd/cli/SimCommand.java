package io.jdrbd.cli;

import io.jdrbd.sim.EngineNode;
import io.jdrbd.sim.FaultProfile;
import io.jdrbd.sim.RandomizedRun;
import io.jdrbd.sim.ReplicaNode;
import io.jdrbd.sim.Scenarios;
import io.jdrbd.sim.SimFailure;
import io.jdrbd.sim.SimSpeed;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdrbd sim}: runs the deterministic cluster simulator with the real replication engine — a
 * named scenario, a campaign of seeded randomized runs, the replay of one seed, or the speed
 * measurement. Exit status: 0 when everything passed, otherwise that of the first failure's class
 * (2 assertion, 3 correctness, 4 liveness).
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run a simulator scenario or a seeded fuzz campaign; replay one seed.")
public final class SimCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--list", description = "List the named scenarios.")
    boolean list;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Run one named scenario (see --list).")
    String scenario;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of a --scenario run.")
    long seed;

    @Option(names = "--seeds", paramLabel = "N", description = "Run N randomized seeds.")
    Integer seeds;

    @Option(names = "--start-seed", paramLabel = "S",
            description = "First seed of --seeds (default: drawn from the clock and printed).")
    Long startSeed;

    @Option(names = "--replay", paramLabel = "SEED", description = "Replay one randomized seed.")
    Long replay;

    @Option(names = "--faults", defaultValue = "all", paramLabel = "PROFILE",
            description = "Fault families: all, none, network, secondary, failover (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--trace-tail", defaultValue = "0", paramLabel = "N",
            description = "On failure, print the last N trace events (default 50 with --replay).")
    int traceTail;

    @Option(names = "--buggify", description = "Let the engine take its rare-but-legal paths (seeded).")
    boolean buggify;

    @Option(names = "--speed", description = "Measure simulated seconds per wall second (2 nodes, protocol C,"
            + " continuous writes).")
    boolean speed;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "N",
            description = "Simulated seconds of the --speed run (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ReplicaNode.Factory factory = EngineNode.factory(UnaryOperator.identity(), buggify);
        if (list) {
            Scenarios.all().keySet().forEach(out::println);
            return 0;
        }
        if (scenario != null) {
            return runScenario(factory, out);
        }
        if (speed) {
            out.println("simulator speed: " + SimSpeed.measure(factory, seed, seconds * 1_000_000_000L));
            return 0;
        }
        FaultProfile profile = FaultProfile.parse(faults);
        if (replay != null) {
            out.println("replaying seed " + replay + " (faults " + profile.label() + ")");
            RandomizedRun.Result result = RandomizedRun.runAndReport(replay, profile, factory, out,
                    traceTail > 0 ? traceTail : 50, extraFlags());
            return result.passed() ? 0 : result.failure().kind().exitCode();
        }
        if (seeds != null) {
            return runCampaign(factory, profile, out);
        }
        spec.commandLine().usage(out);
        return 1;
    }

    private String extraFlags() {
        return buggify ? "--buggify" : "";
    }

    private int runScenario(ReplicaNode.Factory factory, PrintStream out) {
        Map<String, BiConsumer<ReplicaNode.Factory, Long>> scenarios = Scenarios.all();
        BiConsumer<ReplicaNode.Factory, Long> body = scenarios.get(scenario);
        if (body == null) {
            throw new IllegalArgumentException("no scenario '" + scenario + "'; known: "
                    + String.join(", ", scenarios.keySet()));
        }
        out.println("scenario " + scenario + " seed=" + seed);
        try {
            body.accept(factory, seed);
        } catch (SimFailure failure) {
            out.println("scenario " + scenario + ": FAILED (" + failure.kind().label() + ")");
            out.println("  " + failure.getMessage().replace("\n", "\n  "));
            out.println("  replay: jdrbd sim --scenario " + scenario + " --seed " + seed);
            return failure.kind().exitCode();
        }
        out.println("scenario " + scenario + ": ok");
        return 0;
    }

    private int runCampaign(ReplicaNode.Factory factory, FaultProfile profile, PrintStream out) {
        if (seeds <= 0) {
            throw new IllegalArgumentException("--seeds must be positive: " + seeds);
        }
        long first = startSeed != null ? startSeed : System.currentTimeMillis(); // printed, so replayable
        out.println("campaign: " + seeds + " seeds from " + first + ", faults " + profile.label()
                + (buggify ? ", buggify" : ""));
        List<RandomizedRun.Result> failures = new ArrayList<>();
        for (long s = first; s < first + seeds; s++) {
            RandomizedRun.Result result = RandomizedRun.runAndReport(s, profile, factory, out, traceTail,
                    extraFlags());
            if (!result.passed()) {
                failures.add(result);
            }
        }
        out.println("campaign: " + (seeds - failures.size()) + "/" + seeds + " passed");
        for (RandomizedRun.Result failure : failures) {
            out.println("  " + failure.failure().kind().label() + ": " + RandomizedRun.replayCommand(failure.seed(),
                    profile, extraFlags()));
        }
        return failures.isEmpty() ? 0 : failures.get(0).failure().kind().exitCode();
    }
}
