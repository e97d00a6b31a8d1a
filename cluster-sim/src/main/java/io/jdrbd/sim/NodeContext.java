package io.jdrbd.sim;

import io.jdrbd.blockdev.IoResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one life of one simulated node may touch: its id, the virtual clock and timers, the
 * network, its disks, the run's allocator and its own random stream, and the way back to the
 * cluster (request completions, state events). A crash ends the life: timers of a dead context
 * never fire and its completions are ignored.
 */
public final class NodeContext {
    private final SimCluster cluster;
    private final int nodeId;
    private final SimRandom random;
    private final ByteBufAllocator memory;
    private final List<Scheduler.Event> timers = new ArrayList<>();
    private boolean alive = true;

    NodeContext(SimCluster cluster, int nodeId, SimRandom random, ByteBufAllocator memory) {
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.random = random;
        this.memory = memory;
    }

    public int nodeId() {
        return nodeId;
    }

    public int nodeCount() {
        return cluster.options().nodeCount();
    }

    public ClusterOptions options() {
        return cluster.options();
    }

    public long nowNs() {
        return cluster.scheduler().nowNs();
    }

    public SimRandom random() {
        return random;
    }

    public Trace trace() {
        return cluster.trace();
    }

    /** This life's memory: every buffer the node allocates comes from here (see {@link SimBuffers}). */
    public ByteBufAllocator allocator() {
        return memory;
    }

    public SimNetwork network() {
        return cluster.network();
    }

    public SimDisk dataDisk() {
        return cluster.dataDisk(nodeId);
    }

    public SimDisk metaDisk() {
        return cluster.metaDisk(nodeId);
    }

    /** Registers this node with the network: it accepts connections from now on. */
    public void attachNetwork(SimNetwork.Endpoint endpoint) {
        cluster.network().attach(nodeId, endpoint);
    }

    /** Runs {@code action} after {@code delayNs} unless the node crashed by then. */
    public Scheduler.Event after(long delayNs, Runnable action) {
        timers.removeIf(Scheduler.Event::cancelled);
        Scheduler.Event[] self = new Scheduler.Event[1];
        self[0] = cluster.scheduler().after(delayNs, () -> {
            timers.remove(self[0]);
            if (alive) {
                action.run();
            }
        });
        timers.add(self[0]);
        return self[0];
    }

    /** Completes an upper-layer write. */
    public void completeWrite(long requestId, IoResult result) {
        if (alive) {
            cluster.onWriteCompleted(nodeId, requestId, result);
        }
    }

    /** Completes an upper-layer read; takes ownership of {@code data} (null on error). */
    public void completeRead(long requestId, IoResult result, ByteBuf data) {
        if (alive) {
            cluster.onReadCompleted(nodeId, requestId, result, data);
        } else if (data != null) {
            data.release();
        }
    }

    /** Reports a state change (an events2 line without timestamp). */
    public void stateChanged(String events2Line) {
        if (alive) {
            cluster.onStateChanged(nodeId, events2Line);
        }
    }

    boolean alive() {
        return alive;
    }

    void kill() {
        alive = false;
        for (Scheduler.Event timer : timers) {
            timer.cancel();
        }
        timers.clear();
    }
}
