package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.lifecycle.BootQueue;
import io.maroonedpods.provisioner.lifecycle.BootSlots;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The boot slots ({@code maxConcurrentBoots}) and the pods waiting in line for one, together: a place in line and a
 * slot change under one lock, so that two woken pods never both count the first one's slot as free.
 */
final class BootLine {
    private final BootSlots slots = new BootSlots();
    private final BootQueue<ResourceID> queue = new BootQueue<>();
    private final Clock clock;
    /** The cap now (zero while the configuration is unusable). */
    private final IntSupplier cap;

    BootLine(Clock clock, IntSupplier cap) {
        this.clock = clock;
        this.cap = cap;
    }

    /** Whether a boot slot would be the pod's now (nothing is taken). */
    boolean slotFree(Pod pod, int maxConcurrentBoots) {
        Instant now = clock.instant();
        synchronized (queue) {
            int ahead = queue.ahead(ResourceID.fromResource(pod), now, maxConcurrentBoots);
            return slots.wouldGrant(vmName(pod), maxConcurrentBoots, ahead, now);
        }
    }

    /** Takes a boot slot for the pod's VM and leaves the line; false (and its place kept) when none is free. */
    boolean tryAcquire(Pod pod, int maxConcurrentBoots) {
        Instant now = clock.instant();
        ResourceID id = ResourceID.fromResource(pod);
        synchronized (queue) {
            if (!slots.tryAcquire(vmName(pod), maxConcurrentBoots, queue.ahead(id, now, maxConcurrentBoots), now)) {
                queue.waiting(id, now);
                return false;
            }
            queue.done(id);
            return true;
        }
    }

    /** Whether this process created the pod's VMI a moment ago and the cache does not show it yet. */
    boolean inFlight(Pod pod) {
        return slots.inFlight(vmName(pod), clock.instant());
    }

    /** The creation did not happen after all: the slot goes back. */
    void release(Pod pod) {
        slots.release(vmName(pod));
    }

    /** This process verified the VM's node: its slot is free at once. */
    void verified(String vmName) {
        slots.verified(vmName, clock.instant());
    }

    void waiting(Pod pod) {
        queue.waiting(ResourceID.fromResource(pod), clock.instant());
    }

    /** The pod no longer waits (it booted, claimed, or is gone). */
    void leave(Pod pod) {
        queue.done(ResourceID.fromResource(pod));
    }

    /** An event about a VM or its node: the ledger reads that VM's state from the caches again. */
    void observe(String vmName, Supplier<BootSlots.CacheState> state) {
        slots.observe(vmName, state);
    }

    /** The waiting pods first in line for the slots free now (at least one: the cache may lag), or none. */
    List<ResourceID> firstInLine() {
        if (queue.size() == 0) {
            return List.of();
        }
        return queue.first(Math.max(1, slots.free(cap.getAsInt(), clock.instant())));
    }

    int busy() {
        return slots.busy(clock.instant());
    }

    int waiting() {
        return queue.size();
    }

    private static String vmName(Pod pod) {
        return Names.nodeName(pod.getMetadata().getUid());
    }
}
