package io.maroonedpods.simulator.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * kube-scheduler's scheduling queue for one profile, as a pure state machine (time is passed in). Pods live in one
 * of: gated (scheduling gates present, outside the queue), active (ready to be tried, FIFO), backoff (failed, waiting
 * out their backoff), unschedulable (rejected, waiting for a cluster event), in flight (being scheduled or bound).
 *
 * <p>A rejected pod is woken by any Node or Pod change (what kube-scheduler ≥ 1.32 does for a pod an extender
 * rejected), but only into backoff until its backoff expires. An event that arrives while the pod is in flight is
 * not lost: the pod then goes to backoff instead of unschedulable (kube-scheduler's in-flight event tracking).
 * After {@code maxInUnschedulable} a pod is retried even without an event.
 */
public final class SchedulingQueue {

    public enum Where {
        GATED,
        ACTIVE,
        BACKOFF,
        UNSCHEDULABLE,
        IN_FLIGHT
    }

    private static final class Entry {
        Where where;
        int attempts;
        Instant lastFailure;
        long order;
        long eventsAtPop;
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxInUnschedulable;
    private final Map<String, Entry> pods = new HashMap<>();
    private long nextOrder;
    private long clusterEvents;

    public SchedulingQueue(Duration initialBackoff, Duration maxBackoff, Duration maxInUnschedulable) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxInUnschedulable = maxInUnschedulable;
    }

    /** A pending pod was added or changed; {@code gated} when it has scheduling gates. */
    public void upsert(String key, boolean gated, Instant now) {
        Entry entry = pods.get(key);
        if (entry == null) {
            entry = new Entry();
            entry.where = gated ? Where.GATED : Where.ACTIVE;
            entry.order = nextOrder++;
            pods.put(key, entry);
        } else if (entry.where == Where.GATED && !gated) {
            entry.where = Where.ACTIVE;
            entry.order = nextOrder++;
        } else if (gated && entry.where != Where.IN_FLIGHT) {
            entry.where = Where.GATED;
        }
    }

    /** The pod was bound, deleted or is no longer ours. */
    public void remove(String key) {
        pods.remove(key);
    }

    /** Any Node or Pod add/update/delete: rejected pods become eligible again, subject to their backoff. */
    public void clusterEvent(Instant now) {
        clusterEvents++;
        pods.values().forEach(entry -> {
            if (entry.where == Where.UNSCHEDULABLE) {
                requeue(entry, now);
            }
        });
    }

    /** The next pod to try, if any is ready now; it is in flight until {@link #succeeded} or {@link #failed}. */
    public Optional<String> pop(Instant now) {
        flush(now);
        Optional<Map.Entry<String, Entry>> next = pods.entrySet().stream()
                .filter(e -> e.getValue().where == Where.ACTIVE)
                .min(Comparator.comparingLong(e -> e.getValue().order));
        next.ifPresent(e -> {
            e.getValue().where = Where.IN_FLIGHT;
            e.getValue().attempts++;
            e.getValue().eventsAtPop = clusterEvents;
        });
        return next.map(Map.Entry::getKey);
    }

    public void succeeded(String key) {
        pods.remove(key);
    }

    /**
     * The attempt failed: {@code unschedulable} when filters rejected every node (wait for an event), otherwise an
     * error such as an extender or bind failure (straight to backoff).
     */
    public void failed(String key, boolean unschedulable, Instant now) {
        Entry entry = pods.get(key);
        if (entry == null || entry.where != Where.IN_FLIGHT) {
            return;
        }
        entry.lastFailure = now;
        if (unschedulable && entry.eventsAtPop == clusterEvents) {
            entry.where = Where.UNSCHEDULABLE;
        } else {
            requeue(entry, now);
        }
    }

    /** When the earliest backoff or unschedulable timeout expires; empty when nothing is waiting on time. */
    public Optional<Instant> nextWakeup() {
        return pods.values().stream()
                .filter(e -> e.where == Where.BACKOFF || e.where == Where.UNSCHEDULABLE)
                .map(e -> e.where == Where.BACKOFF ? backoffExpiry(e) : e.lastFailure.plus(maxInUnschedulable))
                .min(Comparator.naturalOrder());
    }

    public Optional<Where> where(String key) {
        return Optional.ofNullable(pods.get(key)).map(e -> e.where);
    }

    public int attempts(String key) {
        Entry entry = pods.get(key);
        return entry == null ? 0 : entry.attempts;
    }

    private void flush(Instant now) {
        pods.values().forEach(entry -> {
            if (entry.where == Where.BACKOFF && !backoffExpiry(entry).isAfter(now)) {
                activate(entry);
            } else if (entry.where == Where.UNSCHEDULABLE
                    && !entry.lastFailure.plus(maxInUnschedulable).isAfter(now)) {
                requeue(entry, now);
            }
        });
    }

    private void requeue(Entry entry, Instant now) {
        if (entry.lastFailure != null && backoffExpiry(entry).isAfter(now)) {
            entry.where = Where.BACKOFF;
        } else {
            activate(entry);
        }
    }

    private void activate(Entry entry) {
        entry.where = Where.ACTIVE;
        entry.order = nextOrder++;
    }

    private Instant backoffExpiry(Entry entry) {
        return entry.lastFailure.plus(Backoff.after(entry.attempts, initialBackoff, maxBackoff));
    }
}
