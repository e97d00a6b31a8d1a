package io.jdrbd.blockdev.layer;

import java.util.PriorityQueue;

/** A virtual-time {@link DelayScheduler} for tests: tasks run when the test advances time. */
final class ManualScheduler implements DelayScheduler {

    private record Task(long dueNs, long sequence, Runnable action) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.dueNs != b.dueNs
            ? Long.compare(a.dueNs, b.dueNs) : Long.compare(a.sequence, b.sequence));
    private long nowNs;
    private long sequence;

    @Override
    public synchronized void schedule(long delayNs, Runnable task) {
        queue.add(new Task(nowNs + delayNs, sequence++, task));
    }

    /** Runs every task due up to {@code nowNs + deltaNs}, in time order. */
    void advance(long deltaNs) {
        long target;
        synchronized (this) {
            target = nowNs + deltaNs;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNs > target) {
                    nowNs = target;
                    return;
                }
                queue.poll();
                nowNs = next.dueNs;
            }
            next.action.run();
        }
    }

    synchronized long nowNs() {
        return nowNs;
    }
}
