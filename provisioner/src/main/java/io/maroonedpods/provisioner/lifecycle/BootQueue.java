package io.maroonedpods.provisioner.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods refused a boot slot, in the order they first asked. A pod keeps its place until it gets a slot, and a free
 * slot goes to the pods ahead of it first ({@link #ahead}): without that, whichever pod happened to be reconciled when
 * a slot freed took it, and in a burst the first pods could wait until the burst was over. When a slot
 * frees the first waiting pod is woken at once ({@link #first}), not at its periodic recheck.
 *
 * <p>A waiting pod asks again at least every recheck interval; one that has not asked for {@link #FORGOTTEN_AFTER}
 * (deleted, or in a long retry backoff) loses its place, so that it can never hold the queue up.
 *
 * @param <T> how a pod is identified
 */
public final class BootQueue<T> {
    static final Duration FORGOTTEN_AFTER = Duration.ofSeconds(20);
    /** Silent pods are looked for at most this often: every pod's recheck asks for its place. */
    private static final Duration FORGET_PASS_EVERY = Duration.ofSeconds(1);
    /** Pod → when it last asked; iteration order is the order of first asking. */
    private final Map<T, Instant> waiting = new LinkedHashMap<>();

    private Instant lastForgetPass = Instant.MIN;

    /** The pod was refused a slot; it keeps its place if it was already waiting. */
    public synchronized void waiting(T pod, Instant now) {
        waiting.put(pod, now);
    }

    /** The pod got its slot or no longer needs one. */
    public synchronized void done(T pod) {
        waiting.remove(pod);
    }

    /** How many waiting pods are before this one; all of them when it is not waiting yet. */
    public synchronized int ahead(T pod, Instant now) {
        return ahead(pod, now, Integer.MAX_VALUE);
    }

    /**
     * The same, counted no further than {@code atMost}: with {@code maxConcurrentBoots} pods ahead a pod gets no slot
     * however many more there are, and counting a thousand places on every recheck was a cost of its own.
     */
    public synchronized int ahead(T pod, Instant now, int atMost) {
        forgetSilent(now);
        int before = 0;
        for (T other : waiting.keySet()) {
            if (other.equals(pod) || before >= atMost) {
                return before;
            }
            before++;
        }
        return before;
    }

    /** The first {@code count} waiting pods; they keep their places. */
    public synchronized List<T> first(int count) {
        List<T> first = new ArrayList<>(Math.min(count, waiting.size()));
        for (Iterator<T> it = waiting.keySet().iterator(); first.size() < count && it.hasNext(); ) {
            first.add(it.next());
        }
        return first;
    }

    public synchronized int size() {
        return waiting.size();
    }

    private void forgetSilent(Instant now) {
        if (lastForgetPass.plus(FORGET_PASS_EVERY).isAfter(now)) {
            return;
        }
        lastForgetPass = now;
        waiting.values().removeIf(asked -> asked.plus(FORGOTTEN_AFTER).isBefore(now));
    }
}
