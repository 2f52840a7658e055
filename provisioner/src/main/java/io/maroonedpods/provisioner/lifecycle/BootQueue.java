package io.maroonedpods.provisioner.lifecycle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pods refused a boot slot, oldest first. When a slot frees (a node is verified, a VMI fails) the oldest are woken
 * at once: without that, a queued pod would only look again at its periodic recheck, and a burst larger than
 * {@code maxConcurrentBoots} would advance one recheck interval per batch.
 *
 * @param <T> how a pod is identified
 */
public final class BootQueue<T> {
    private final Set<T> waiting = new LinkedHashSet<>();

    /** The pod was refused a slot; it keeps its place if it was already waiting. */
    public synchronized void waiting(T pod) {
        waiting.add(pod);
    }

    /** The pod got its slot or no longer needs one. */
    public synchronized void done(T pod) {
        waiting.remove(pod);
    }

    /** Removes and returns up to {@code count} of the longest-waiting pods (they queue again if refused again). */
    public synchronized List<T> next(int count) {
        List<T> next = new ArrayList<>(Math.min(count, waiting.size()));
        Iterator<T> it = waiting.iterator();
        while (next.size() < count && it.hasNext()) {
            next.add(it.next());
            it.remove();
        }
        return next;
    }

    public synchronized int size() {
        return waiting.size();
    }
}
