package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.simulator.scheduler.SchedulingQueue.Where;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SchedulingQueue queue =
            new SchedulingQueue(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5));

    private Instant at(double seconds) {
        return t0.plusMillis((long) (seconds * 1000));
    }

    @Test
    void backoffDoublesFromTheInitialValueUpToTheMaximum() {
        assertThat(Backoff.after(1, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.after(2, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.after(9, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.after(4, Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.after(5, Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void podsAreTriedInArrivalOrder() {
        queue.upsert("a", false, at(0));
        queue.upsert("b", false, at(0));
        assertThat(queue.pop(at(0))).contains("a");
        assertThat(queue.pop(at(0))).contains("b");
        assertThat(queue.pop(at(0))).isEmpty();
    }

    @Test
    void aRejectedPodWaitsForAClusterEvent() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", true, at(0));

        assertThat(queue.where("a")).contains(Where.UNSCHEDULABLE);
        assertThat(queue.pop(at(30))).isEmpty();
    }

    @Test
    void aClusterEventDuringBackoffWakesThePodOnlyWhenItsBackoffExpires() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", true, at(0));

        queue.clusterEvent(at(0.5));
        assertThat(queue.where("a")).contains(Where.BACKOFF);
        assertThat(queue.pop(at(0.9))).isEmpty();
        assertThat(queue.nextWakeup()).contains(at(1));
        assertThat(queue.pop(at(1))).contains("a");
    }

    @Test
    void aClusterEventAfterTheBackoffMakesThePodActiveAtOnce() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", true, at(0));

        queue.clusterEvent(at(3));
        assertThat(queue.where("a")).contains(Where.ACTIVE);
    }

    @Test
    void theSecondRejectionBacksOffForTheMaximum() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", true, at(0));
        queue.clusterEvent(at(1));
        queue.pop(at(1));
        queue.failed("a", true, at(1));
        queue.clusterEvent(at(1.5));

        assertThat(queue.pop(at(2.5))).isEmpty();
        assertThat(queue.pop(at(3))).contains("a");
    }

    @Test
    void anEventWhileThePodIsInFlightIsNotLost() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.clusterEvent(at(0.1));
        queue.failed("a", true, at(0.2));

        assertThat(queue.where("a")).contains(Where.BACKOFF);
        assertThat(queue.pop(at(1.2))).contains("a");
    }

    @Test
    void errorsGoStraightToBackoffWithoutWaitingForAnEvent() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", false, at(0));

        assertThat(queue.where("a")).contains(Where.BACKOFF);
        assertThat(queue.pop(at(1))).contains("a");
    }

    @Test
    void gatedPodsWaitOutsideTheQueueUntilUngated() {
        queue.upsert("a", true, at(0));
        queue.clusterEvent(at(1));
        assertThat(queue.pop(at(10))).isEmpty();
        assertThat(queue.where("a")).contains(Where.GATED);

        queue.upsert("a", false, at(11));
        assertThat(queue.pop(at(11))).contains("a");
        assertThat(queue.attempts("a")).isEqualTo(1);
    }

    @Test
    void anUnschedulablePodIsRetriedAfterFiveMinutesEvenWithoutEvents() {
        queue.upsert("a", false, at(0));
        queue.pop(at(0));
        queue.failed("a", true, at(0));

        assertThat(queue.pop(at(299))).isEmpty();
        assertThat(queue.pop(at(300))).contains("a");
    }

    @Test
    void removedAndSucceededPodsLeaveTheQueue() {
        queue.upsert("a", false, at(0));
        queue.upsert("b", false, at(0));
        queue.remove("a");
        queue.pop(at(0));
        queue.succeeded("b");
        assertThat(queue.where("a")).isEqualTo(Optional.empty());
        assertThat(queue.where("b")).isEqualTo(Optional.empty());
        assertThat(queue.nextWakeup()).isEmpty();
    }
}
