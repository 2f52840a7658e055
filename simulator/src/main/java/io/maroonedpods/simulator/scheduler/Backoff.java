package io.maroonedpods.simulator.scheduler;

import java.time.Duration;

/** kube-scheduler's pod backoff: the initial backoff doubled for every further attempt, capped at the maximum. */
public final class Backoff {
    private Backoff() {}

    /** The backoff after {@code attempts} scheduling attempts (1 → initial, 2 → 2 × initial, …, ≤ max). */
    public static Duration after(int attempts, Duration initial, Duration max) {
        Duration duration = initial;
        for (int i = 1; i < attempts; i++) {
            if (duration.compareTo(max.minus(duration)) > 0) {
                return max;
            }
            duration = duration.plus(duration);
        }
        return duration.compareTo(max) > 0 ? max : duration;
    }
}
