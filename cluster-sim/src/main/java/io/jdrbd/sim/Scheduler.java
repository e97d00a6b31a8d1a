package io.jdrbd.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The simulator's single thread of control: a priority queue of events ordered by (virtual time,
 * sequence number). Running an event may schedule more; virtual time jumps to the next event, so an
 * idle second costs nothing. Ties at one instant run in the order they were scheduled, which makes
 * the whole run a function of the seed.
 *
 * <p>Bounded: {@link #run} stops at a virtual-time deadline or after a maximum number of events, so a
 * livelocked cluster shows up as a liveness failure rather than a hung test.
 */
public final class Scheduler {
    private final PriorityQueue<Event> queue = new PriorityQueue<>(Scheduler::compare);
    private final Trace trace;
    private final long maxEvents;
    private long nowNs;
    private long nextSequence;
    private long executed;

    public Scheduler(Trace trace, long maxEvents) {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
        }
        this.trace = trace;
        this.maxEvents = maxEvents;
    }

    private static int compare(Event left, Event right) {
        int byTime = Long.compare(left.timeNs, right.timeNs);
        return byTime != 0 ? byTime : Long.compare(left.sequence, right.sequence);
    }

    /** The virtual clock. */
    public long nowNs() {
        return nowNs;
    }

    public long executedEvents() {
        return executed;
    }

    public int pendingEvents() {
        return queue.size();
    }

    /** Runs {@code action} {@code delayNs} after now (0: after everything already due now). */
    public Event after(long delayNs, Runnable action) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delayNs < 0: " + delayNs);
        }
        return at(nowNs + delayNs, action);
    }

    /** Runs {@code action} at virtual time {@code timeNs} (not before now). */
    public Event at(long timeNs, Runnable action) {
        if (timeNs < nowNs) {
            throw new IllegalArgumentException("event in the past: " + timeNs + " < now " + nowNs);
        }
        Event event = new Event(timeNs, nextSequence++, action);
        queue.add(event);
        return event;
    }

    /** Runs the next live event; false when the queue is empty. */
    public boolean step() {
        Event event = queue.poll();
        while (event != null && event.cancelled) {
            event = queue.poll();
        }
        if (event == null) {
            return false;
        }
        if (executed >= maxEvents) {
            throw new SimFailure(SimFailure.Kind.LIVENESS, "event budget exhausted: " + maxEvents
                    + " events by virtual time " + nowNs + " ns");
        }
        nowNs = event.timeNs;
        executed++;
        trace.event(TraceKind.STEP, nowNs, -1, event.sequence, 0);
        event.action.run();
        return true;
    }

    /**
     * Runs events until {@code done} holds (checked after every event), the queue runs dry, or
     * virtual time would pass {@code deadlineNs}. Returns whether {@code done} held.
     */
    public boolean runUntil(BooleanSupplier done, long deadlineNs) {
        while (!done.getAsBoolean()) {
            Event next = peekLive();
            if (next == null || next.timeNs > deadlineNs) {
                if (deadlineNs > nowNs && deadlineNs != Long.MAX_VALUE) {
                    nowNs = deadlineNs;
                }
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** Runs every event up to and including virtual time {@code untilNs}, then sets the clock there. */
    public void runFor(long durationNs) {
        long deadline = nowNs + durationNs;
        runUntil(() -> false, deadline);
    }

    private Event peekLive() {
        Event head = queue.peek();
        while (head != null && head.cancelled) {
            queue.poll();
            head = queue.peek();
        }
        return head;
    }

    /** A scheduled event; cancelling it makes the scheduler skip it. */
    public static final class Event {
        final long timeNs;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Event(long timeNs, long sequence, Runnable action) {
            this.timeNs = timeNs;
            this.sequence = sequence;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }

        public long timeNs() {
            return timeNs;
        }
    }
}
