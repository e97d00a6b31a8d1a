package io.jdrbd.sim;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffer accounting of one simulation run: one allocator per node life (its "process memory")
 * plus one for the network and the harness. Every buffer a node holds comes from its own allocator:
 * client data is allocated there, and the network copies delivered bytes into the receiver's memory
 * as a real socket does. So a crash simply abandons that life's allocator (a dead process's memory is
 * gone, whatever it still referenced), and every other allocator must end the run with zero live
 * bytes: a leak or a double release inside a live node is a correctness failure of the run.
 *
 * <p>Netty's leak detector is off for these allocators: this accounting is exact and deterministic,
 * and paranoid leak tracking (on in every test JVM) would cost ten times the run.
 */
public final class SimBuffers {
    private final ByteBufAllocator shared = newAllocator();
    private final UnpooledByteBufAllocator[] lives;
    private final List<String> retiredNames = new ArrayList<>();
    private final List<UnpooledByteBufAllocator> retired = new ArrayList<>();
    private final int[] lifeNumbers;

    public SimBuffers(int nodeCount) {
        this.lives = new UnpooledByteBufAllocator[nodeCount];
        this.lifeNumbers = new int[nodeCount];
    }

    private static UnpooledByteBufAllocator newAllocator() {
        return new UnpooledByteBufAllocator(false, true, false);
    }

    /** The allocator of the harness and the network (buffers not owned by any node). */
    public ByteBufAllocator allocator() {
        return shared;
    }

    /** Starts a new life of {@code node} with fresh memory. */
    ByteBufAllocator startLife(int node) {
        if (lives[node] != null) {
            throw new IllegalStateException("node " + node + " is already alive");
        }
        lives[node] = newAllocator();
        lifeNumbers[node]++;
        return lives[node];
    }

    /** The memory of {@code node}'s current life (null when down). */
    public ByteBufAllocator nodeAllocator(int node) {
        return lives[node];
    }

    /** The node crashed: its memory is gone, whatever it referenced. */
    void abandonLife(int node) {
        lives[node] = null;
    }

    /** The node was shut down cleanly: its memory must be empty at the end of the run. */
    void retireLife(int node) {
        if (lives[node] != null) {
            retired.add(lives[node]);
            retiredNames.add("node " + node + " (life " + lifeNumbers[node] + ")");
            lives[node] = null;
        }
    }

    /** Bytes held by live buffers of the harness, the network and every node life not abandoned. */
    public long liveBytes() {
        long total = bytes(shared);
        for (UnpooledByteBufAllocator life : lives) {
            total += life == null ? 0 : bytes(life);
        }
        for (UnpooledByteBufAllocator life : retired) {
            total += bytes(life);
        }
        return total;
    }

    private static long bytes(ByteBufAllocator allocator) {
        UnpooledByteBufAllocator unpooled = (UnpooledByteBufAllocator) allocator;
        return unpooled.metric().usedHeapMemory() + unpooled.metric().usedDirectMemory();
    }

    /** Fails the run unless every buffer outside abandoned lives was released. */
    public void assertNoLiveBuffers(String when) {
        List<String> leaks = new ArrayList<>();
        if (bytes(shared) != 0) {
            leaks.add("network/harness " + bytes(shared) + " bytes");
        }
        for (int i = 0; i < lives.length; i++) {
            if (lives[i] != null && bytes(lives[i]) != 0) {
                leaks.add("node " + i + " (life " + lifeNumbers[i] + ") " + bytes(lives[i]) + " bytes");
            }
        }
        for (int i = 0; i < retired.size(); i++) {
            if (bytes(retired.get(i)) != 0) {
                leaks.add(retiredNames.get(i) + " " + bytes(retired.get(i)) + " bytes");
            }
        }
        if (!leaks.isEmpty()) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS, "leaked buffers " + when + ": "
                    + String.join(", ", leaks) + " still referenced");
        }
    }
}
