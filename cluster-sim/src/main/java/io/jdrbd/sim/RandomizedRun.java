package io.jdrbd.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One seeded run of the randomized simulation (the "VOPR"): every option is drawn from the seed and
 * printed first, then a fault phase (workload plus faults from the chosen profile, with protocol
 * checks at every primary crash), then a heal-and-converge phase (faults stop, down nodes restart,
 * the workload drains, and the cluster must become Connected and UpToDate with identical data), then
 * the resource checks (no buffer left). A failure is classified and printed with a replay command.
 */
public final class RandomizedRun {

    /**
     * Everything a run does, drawn from its seed.
     *
     * @param cluster         cluster shape
     * @param workload        client load
     * @param faults          fault families allowed
     * @param faultIntervalNs mean time between fault decisions
     * @param faultPhaseNs    length of the fault phase
     * @param convergeNs      how long the cluster may take to converge after the faults stop
     */
    public record Plan(ClusterOptions cluster, Workload workload, FaultProfile faults, long faultIntervalNs,
                       long faultPhaseNs, long convergeNs) {

        /** Draws a plan from {@code seed}; the profile is the one choice the user makes. */
        public static Plan draw(long seed, FaultProfile faults) {
            SimRandom options = new SimRandom(SimRandom.splitmix(seed ^ 0x5EED0F0F71045L));
            char protocol = "ABC".charAt(options.nextInt(3));
            int deviceBlocks = 16 << options.nextInt(6);
            NetworkOptions network = options.nextInt(4) == 0 ? NetworkOptions.lan() : NetworkOptions.random(options);
            List<DiskOptions> disks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                disks.add(options.nextInt(4) == 0 ? DiskOptions.ssd() : DiskOptions.random(options));
            }
            ClusterOptions cluster = new ClusterOptions(seed, 2, protocol, deviceBlocks, network, disks, 20_000_000L);
            return new Plan(cluster, Workload.random(options), faults, options.between(50_000_000L, 2_000_000_000L),
                    options.between(1_000_000_000L, 20_000_000_000L), 60_000_000_000L);
        }

        public List<String> describe() {
            List<String> lines = new ArrayList<>(cluster.describe());
            lines.add("workload: " + workload);
            lines.add("faults: " + faults.label() + " every ~" + faultIntervalNs / 1_000_000 + "ms for "
                    + faultPhaseNs / 1_000_000 + "ms, then converge within " + convergeNs / 1_000_000 + "ms");
            return lines;
        }
    }

    /** The outcome of one run. */
    public record Result(long seed, SimFailure failure, long traceHash, long events, long virtualNs,
                         long acknowledgedWrites, long wallNs) {
        public boolean passed() {
            return failure == null;
        }
    }

    private final Plan plan;
    private final ReplicaNode.Factory factory;
    private final PrintStream log;
    private SimCluster cluster;
    private boolean networkFaultActive;
    private int traceTailLines;
    private int failovers;

    public RandomizedRun(Plan plan, ReplicaNode.Factory factory, PrintStream log) {
        this.plan = plan;
        this.factory = factory;
        this.log = log;
    }

    /** Keeps the last {@code lines} trace events as text and prints them when the run fails. */
    public RandomizedRun keepTraceTail(int lines) {
        this.traceTailLines = lines;
        return this;
    }

    /** The command that replays this run. */
    public static String replayCommand(long seed, FaultProfile faults) {
        return replayCommand(seed, faults, "");
    }

    /** The replay command with extra flags the run was started with (e.g. {@code --buggify}). */
    public static String replayCommand(long seed, FaultProfile faults, String extraFlags) {
        return "jdrbd sim --replay " + seed + (faults == FaultProfile.ALL ? "" : " --faults " + faults.label())
                + (extraFlags.isEmpty() ? "" : " " + extraFlags);
    }

    public Result run() {
        long wallStart = System.nanoTime(); // wall time only measures the simulator, never drives it
        cluster = new SimCluster(plan.cluster(), factory);
        cluster.trace().keepTail(traceTailLines);
        SimFailure failure = null;
        String statesAtFailure = "";
        try {
            execute();
        } catch (SimFailure e) {
            failure = e;
            statesAtFailure = cluster.describeStates();
        } catch (AssertionError | RuntimeException e) {
            failure = new SimFailure(SimFailure.Kind.ASSERTION, e.toString(), e);
            statesAtFailure = cluster.describeStates();
        } finally {
            try {
                cluster.finish();
            } catch (SimFailure e) {
                failure = failure == null ? e : failure;
            } catch (AssertionError | RuntimeException e) {
                failure = failure == null ? new SimFailure(SimFailure.Kind.ASSERTION, e.toString(), e) : failure;
            }
        }
        if (failure != null && traceTailLines > 0) {
            log.println("  last " + traceTailLines + " trace events:");
            for (String line : cluster.trace().tail()) {
                log.println("    " + line);
            }
            log.println("  states at the failure:" + statesAtFailure.replace("\n", "\n  "));
        }
        return new Result(plan.cluster().seed(), failure, cluster.trace().hash(), cluster.scheduler().executedEvents(),
                cluster.nowNs(), cluster.history().acknowledgedCount(), System.nanoTime() - wallStart);
    }

    private void execute() {
        cluster.startNodes();
        cluster.awaitAllConnected(30_000_000_000L);
        cluster.promote(0);
        long faultPhaseEnd = cluster.nowNs() + plan.faultPhaseNs();
        plan.workload().start(cluster, faultPhaseEnd);
        scheduleFault(faultPhaseEnd);
        cluster.runFor(faultPhaseEnd - cluster.nowNs());
        converge();
    }

    private void scheduleFault(long faultPhaseEnd) {
        if (plan.faults() == FaultProfile.NONE) {
            return;
        }
        SimRandom random = cluster.faultRandom();
        long delay = random.between(0, 2 * plan.faultIntervalNs());
        if (cluster.nowNs() + delay >= faultPhaseEnd) {
            return;
        }
        cluster.scheduler().after(delay, () -> {
            injectOne(random, faultPhaseEnd);
            scheduleFault(faultPhaseEnd);
        });
    }

    private void injectOne(SimRandom random, long faultPhaseEnd) {
        FaultProfile faults = plan.faults();
        int[] weights = {faults.network ? 6 : 0, faults.crashSecondary ? 2 : 0,
            faults.crashPrimary && failovers == 0 ? 1 : 0, faults.diskStall ? 2 : 0};
        if (weights[0] + weights[1] + weights[2] + weights[3] == 0) {
            return;
        }
        int choice = random.weighted(weights);
        int primary = cluster.primary();
        int secondary = primary == 0 ? 1 : 0;
        switch (choice) {
            case 0 -> injectNetworkFault(random, faultPhaseEnd);
            case 1 -> crashAndRestart(secondary, random.between(10_000_000L, 3_000_000_000L));
            case 2 -> failover(primary, random.between(10_000_000L, 3_000_000_000L));
            default -> stallDisk(secondary, random.between(1_000_000L, 1_000_000_000L));
        }
    }

    private void injectNetworkFault(SimRandom random, long faultPhaseEnd) {
        if (networkFaultActive) {
            return;
        }
        int a = random.nextInt(2);
        int b = 1 - a;
        long duration = random.between(1_000_000L, 5_000_000_000L);
        switch (random.nextInt(4)) {
            case 0 -> cluster.partition(a, b);
            case 1 -> cluster.network().block(a, b);
            case 2 -> cluster.network().clog(a, b, duration);
            default -> {
                cluster.resetConnections(a, b);
                return;
            }
        }
        networkFaultActive = true;
        cluster.scheduler().after(Math.min(duration, Math.max(0, faultPhaseEnd - cluster.nowNs())), () -> {
            cluster.heal();
            networkFaultActive = false;
        });
    }

    private void crashAndRestart(int node, long downNs) {
        if (!cluster.isUp(node) || downCount() > 0) {
            return;
        }
        cluster.crash(node);
        cluster.scheduler().after(downNs, () -> {
            if (!cluster.isUp(node)) {
                cluster.restart(node);
            }
        });
    }

    private void stallDisk(int node, long stallNs) {
        if (!cluster.isUp(node)) {
            return;
        }
        cluster.dataDisk(node).stall();
        cluster.scheduler().after(stallNs, () -> cluster.dataDisk(node).resume());
    }

    /** The primary crashes: the survivor must hold what the protocol promises, then takes over. */
    private void failover(int primary, long downNs) {
        int survivor = primary == 0 ? 1 : 0;
        if (primary < 0 || !cluster.isUp(survivor) || downCount() > 0 || networkFaultActive) {
            return;
        }
        failovers++;
        char protocol = plan.cluster().protocol();
        cluster.crash(primary);
        if (protocol == 'C') {
            cluster.verifyNoAcknowledgedWriteLost(survivor);
        }
        cluster.runFor(1_000_000_000L); // the survivor writes what it had received
        if (protocol == 'A') {
            cluster.verifyPrefix(survivor);
        } else {
            cluster.verifyNoAcknowledgedWriteLost(survivor);
            cluster.verifyPrefix(survivor);
        }
        cluster.awaitPeerLoss(survivor, primary, 30_000_000_000L);
        cluster.promote(survivor);
        cluster.scheduler().after(downNs, () -> {
            if (!cluster.isUp(primary)) {
                cluster.restart(primary);
            }
        });
    }

    private int downCount() {
        int down = 0;
        for (int i = 0; i < plan.cluster().nodeCount(); i++) {
            down += cluster.isUp(i) ? 0 : 1;
        }
        return down;
    }

    private void converge() {
        cluster.heal();
        for (int i = 0; i < plan.cluster().nodeCount(); i++) {
            cluster.dataDisk(i).resume();
            if (!cluster.isUp(i)) {
                cluster.restart(i);
            }
        }
        cluster.awaitQuiet(plan.convergeNs());
        cluster.awaitAllConnected(plan.convergeNs());
        cluster.awaitDrained(plan.convergeNs());
        cluster.verifyIdenticalData();
        for (int i = 0; i < plan.cluster().nodeCount(); i++) {
            cluster.verifyPrefix(i);
        }
        if (failovers == 0 && plan.cluster().protocol() == 'C') {
            cluster.verifyReads();
        }
        cluster.settle(plan.convergeNs());
    }

    /** Prints the plan, runs, and prints the verdict; returns the result. */
    public static Result runAndReport(long seed, FaultProfile faults, ReplicaNode.Factory factory,
                                      PrintStream out) {
        return runAndReport(seed, faults, factory, out, 0, "");
    }

    public static Result runAndReport(long seed, FaultProfile faults, ReplicaNode.Factory factory,
                                      PrintStream out, int traceTailLines, String extraFlags) {
        Plan plan = Plan.draw(seed, faults);
        for (String line : plan.describe()) {
            out.println("  " + line);
        }
        Result result = new RandomizedRun(plan, factory, out).keepTraceTail(traceTailLines).run();
        report(result, faults, out, extraFlags);
        return result;
    }

    public static void report(Result result, FaultProfile faults, PrintStream out, String extraFlags) {
        String figures = String.format("trace=%016x events=%d virtual=%dms acked=%d wall=%dms", result.traceHash(),
                result.events(), result.virtualNs() / 1_000_000, result.acknowledgedWrites(),
                result.wallNs() / 1_000_000);
        if (result.passed()) {
            out.println("seed " + result.seed() + ": ok " + figures);
            return;
        }
        SimFailure failure = result.failure();
        out.println("seed " + result.seed() + ": FAILED (" + failure.kind().label() + ") " + figures);
        out.println("  " + failure.getMessage().replace("\n", "\n  "));
        Throwable cause = failure.getCause();
        if (cause != null) {
            StackTraceElement[] frames = cause.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                out.println("    at " + frames[i]);
            }
        }
        out.println("  replay: " + replayCommand(result.seed(), faults, extraFlags));
    }
}
