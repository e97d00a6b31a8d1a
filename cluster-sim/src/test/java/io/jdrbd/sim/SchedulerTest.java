package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final Scheduler scheduler = new Scheduler(new Trace(), 1_000);

    @Test
    void eventsRunByTimeThenByTheOrderTheyWereScheduled() {
        List<String> order = new ArrayList<>();
        scheduler.after(20, () -> order.add("late"));
        scheduler.after(10, () -> order.add("first at 10"));
        scheduler.after(10, () -> order.add("second at 10"));
        scheduler.after(0, () -> order.add("now"));
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(order).containsExactly("now", "first at 10", "second at 10", "late");
        assertThat(scheduler.nowNs()).isEqualTo(20);
    }

    @Test
    void timeJumpsToTheNextEvent() {
        long[] seenAt = new long[1];
        scheduler.after(5_000_000_000L, () -> seenAt[0] = scheduler.nowNs());
        assertThat(scheduler.step()).isTrue();
        assertThat(seenAt[0]).isEqualTo(5_000_000_000L);
        assertThat(scheduler.step()).isFalse();
    }

    @Test
    void cancelledEventsDoNotRun() {
        List<String> order = new ArrayList<>();
        Scheduler.Event event = scheduler.after(10, () -> order.add("cancelled"));
        scheduler.after(20, () -> order.add("kept"));
        event.cancel();
        scheduler.runUntil(() -> false, Long.MAX_VALUE);
        assertThat(order).containsExactly("kept");
    }

    @Test
    void runUntilStopsAtTheDeadlineAndLeavesLaterEventsQueued() {
        List<Long> ran = new ArrayList<>();
        for (long t = 1; t <= 5; t++) {
            long at = t * 100;
            scheduler.at(at, () -> ran.add(at));
        }
        boolean done = scheduler.runUntil(() -> ran.size() == 5, 250);
        assertThat(done).isFalse();
        assertThat(ran).containsExactly(100L, 200L);
        assertThat(scheduler.nowNs()).isEqualTo(250);
        assertThat(scheduler.pendingEvents()).isEqualTo(3);
    }

    @Test
    void aRunThatExceedsItsEventBudgetIsALivenessFailure() {
        Scheduler small = new Scheduler(new Trace(), 10);
        Runnable[] again = new Runnable[1];
        again[0] = () -> small.after(1, again[0]);
        small.after(1, again[0]);
        assertThatThrownBy(() -> small.runUntil(() -> false, Long.MAX_VALUE))
                .isInstanceOfSatisfying(SimFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(SimFailure.Kind.LIVENESS));
    }

    @Test
    void schedulingInThePastIsRejected() {
        scheduler.after(10, () -> { });
        scheduler.step();
        assertThatThrownBy(() -> scheduler.at(5, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
