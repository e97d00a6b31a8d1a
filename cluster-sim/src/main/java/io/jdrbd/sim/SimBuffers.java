package io.jdrbd.sim;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The allocator of one simulation run. Every payload and encoded packet of the run comes from it,
 * and it counts the heap bytes of live buffers, so a run can end by asserting that every buffer was
 * released exactly once (a leak, or a double release, is a correctness failure of the run).
 */
public final class SimBuffers {
    /*
     * Netty's leak detector is off for this allocator: the run's own zero-live-bytes check is exact and
     * deterministic, and paranoid leak tracking (on in every test JVM) would cost ten times the run.
     */
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false, true, false);

    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** Bytes held by buffers that were allocated from this run and not yet released. */
    public long liveBytes() {
        return allocator.metric().usedHeapMemory() + allocator.metric().usedDirectMemory();
    }

    /** Fails the run unless every buffer was released. */
    public void assertNoLiveBuffers(String when) {
        long live = liveBytes();
        if (live != 0) {
            throw new SimFailure(SimFailure.Kind.CORRECTNESS,
                    "leaked buffers " + when + ": " + live + " bytes still referenced");
        }
    }
}
