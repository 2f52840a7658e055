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
     * @param vmiName        the VMI about to be created
     * @param bootingInCache names of VMIs that exist and whose node is not verified yet
     * @return true when the VMI may be created now
     */
    public synchronized boolean tryAcquire(String vmiName, Set<String> bootingInCache, int cap, Instant now) {
        inFlight.entrySet().removeIf(e -> bootingInCache.contains(e.getKey())
                || e.getValue().plus(IN_FLIGHT_MEMORY).isBefore(now));
        Set<String> booting = new HashSet<>(bootingInCache);
        booting.addAll(inFlight.keySet());
        if (booting.contains(vmiName)) {
            return true;
        }
        if (booting.size() >= cap) {
            return false;
        }
        inFlight.put(vmiName, now);
        return true;
    }

    /** The creation did not happen after all (error): give the slot back. */
    public synchronized void release(String vmiName) {
        inFlight.remove(vmiName);
    }
}
