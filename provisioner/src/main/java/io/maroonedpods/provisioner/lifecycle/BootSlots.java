package io.maroonedpods.provisioner.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cap on VMs booting at once ({@code maxConcurrentBoots}). Booting VMIs are counted from the informer cache, but
 * a VMI this process just created may not be there yet, so creations in flight are remembered for a short while:
 * without that, two reconcile threads could both see "one slot left" and both take it.
 */
public final class BootSlots {
    static final Duration IN_FLIGHT_MEMORY = Duration.ofSeconds(30);
    private final Map<String, Instant> inFlight = new HashMap<>();

    /**
     * @param vmiName     the VMI about to be created
     * @param cache       the VMIs the informer cache holds, and which of them are booting
     * @param queuedAhead pods waiting for a slot since before this one: free slots are theirs first
     * @return true when the VMI may be created now; its slot is then taken
     */
    public synchronized boolean tryAcquire(String vmiName, CachedVmis cache, int cap, int queuedAhead, Instant now) {
        boolean granted = wouldGrant(vmiName, cache, cap, queuedAhead, now);
        if (granted) {
            inFlight.put(vmiName, now);
        }
        return granted;
    }

    /** What {@link #tryAcquire} would answer now, taking nothing. */
    public synchronized boolean wouldGrant(String vmiName, CachedVmis cache, int cap, int queuedAhead, Instant now) {
        // A creation stops being "in flight" once the cache has its VMI, booting or (boot 0, a fast node) already
        // verified: kept for the full memory, it would hold a slot its VM no longer needs.
        inFlight.entrySet().removeIf(e -> cache.all().contains(e.getKey())
                || e.getValue().plus(IN_FLIGHT_MEMORY).isBefore(now));
        Set<String> booting = new HashSet<>(cache.booting());
        booting.addAll(inFlight.keySet());
        return booting.contains(vmiName) || booting.size() + queuedAhead < cap;
    }

    /** The creation did not happen after all (error): give the slot back. */
    public synchronized void release(String vmiName) {
        inFlight.remove(vmiName);
    }
}
