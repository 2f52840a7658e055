package io.maroonedpods.provisioner.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cap on VMs booting at once ({@code maxConcurrentBoots}), as a ledger the watches keep up to date: every event
 * about a VMI or its node reads that one VM's state from the informer caches again ({@link #observe}), so counting
 * the booting VMs is never a pass over every cached VMI (that would be a pass per queued pod's recheck in a burst).
 * The caches lag behind this process's own writes, so for a short while the ledger also remembers:
 * <ul>
 *   <li>creations in flight: without them, two reconcile threads could both see "one slot left" and both take it;
 *   <li>nodes it has just verified: their slots are free at once, not when the node's event comes back (a round
 *       trip during which a slot would stand idle).
 * </ul>
 */
public final class BootSlots {
    static final Duration MEMORY = Duration.ofSeconds(30);

    /** A VM as the informer caches show it. */
    public enum CacheState {
        /** No such VMI. */
        ABSENT,
        /** The VMI exists and its node is not verified yet: it holds a boot slot. */
        BOOTING,
        /** Its node is verified, or it is an available warm-pool VM: no boot slot. */
        BOOTED
    }

    private final Set<String> booting = new HashSet<>();
    private final Map<String, Instant> inFlight = new HashMap<>();
    private final Map<String, Instant> verifiedHere = new HashMap<>();

    /**
     * An event about the VM or its node: its state is read under the ledger's lock, so whichever of two concurrent
     * events (the VMI's watch, the node's) is recorded last also read the caches last.
     */
    public synchronized void observe(String vmiName, Supplier<CacheState> state) {
        CacheState now = state.get();
        if (now == CacheState.BOOTING) {
            booting.add(vmiName);
        } else {
            booting.remove(vmiName);
        }
        if (now != CacheState.ABSENT) {
            inFlight.remove(vmiName); // the cache has it: no longer "created, not seen yet"
        }
        if (now != CacheState.BOOTING) {
            verifiedHere.remove(vmiName); // the cache has caught up with the verification
        }
    }

    /**
     * @param vmiName     the VMI about to be created
     * @param queuedAhead pods waiting for a slot since before this one: free slots are theirs first
     * @return true when the VMI may be created now; its slot is then taken
     */
    public synchronized boolean tryAcquire(String vmiName, int cap, int queuedAhead, Instant now) {
        boolean granted = wouldGrant(vmiName, cap, queuedAhead, now);
        if (granted) {
            inFlight.put(vmiName, now);
        }
        return granted;
    }

    /** What {@link #tryAcquire} would answer now, taking nothing. */
    public synchronized boolean wouldGrant(String vmiName, int cap, int queuedAhead, Instant now) {
        Set<String> holding = holdingSlots(now);
        return holding.contains(vmiName) || holding.size() + queuedAhead < cap;
    }

    /** How many VMs hold a slot now (booting, or created a moment ago and not in the cache yet). */
    public synchronized int busy(Instant now) {
        return holdingSlots(now).size();
    }

    /** How many slots are free now. */
    public synchronized int free(int cap, Instant now) {
        return Math.max(0, cap - holdingSlots(now).size());
    }

    /** This process has just verified the VM's node: its slot is free even while the cache shows it booting. */
    public synchronized void verified(String vmiName, Instant now) {
        verifiedHere.put(vmiName, now);
    }

    /** Whether this process created the VMI a moment ago and the cache does not show it yet. */
    public synchronized boolean inFlight(String vmiName, Instant now) {
        Instant taken = inFlight.get(vmiName);
        return taken != null && !forgotten(taken, now);
    }

    /** The creation did not happen after all (error): give the slot back. */
    public synchronized void release(String vmiName) {
        inFlight.remove(vmiName);
    }

    private Set<String> holdingSlots(Instant now) {
        inFlight.values().removeIf(taken -> forgotten(taken, now));
        verifiedHere.values().removeIf(verified -> forgotten(verified, now));
        Set<String> holding = new HashSet<>(booting);
        holding.addAll(inFlight.keySet());
        holding.removeAll(verifiedHere.keySet());
        return holding;
    }

    private static boolean forgotten(Instant remembered, Instant now) {
        return remembered.plus(MEMORY).isBefore(now);
    }
}
