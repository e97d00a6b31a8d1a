package io.jdrbd.blockdev.layer;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay, so layers can add latency without blocking a thread. Production
 * passes a scheduled executor; the simulator passes its virtual-time event queue.
 */
@FunctionalInterface
public interface DelayScheduler {

    void schedule(long delayNs, Runnable task);

    static DelayScheduler of(ScheduledExecutorService executor) {
        return (delayNs, task) -> executor.schedule(task, delayNs, TimeUnit.NANOSECONDS);
    }
}
