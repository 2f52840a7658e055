package io.maroonedpods.simulator.report;

import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.StoreObserver;
import io.maroonedpods.testcluster.store.WatchEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts VMI creations and removals as the API server stores them, and duplicates: a VMI created for a pod while
 * another VMI of the same pod still exists (a retry after a deleted, failed VMI is not a duplicate). The simulated
 * KubeVirt puts no finalizer on a VMI, so its DELETE removes it at once.
 */
public final class VmiLedger implements StoreObserver {

    private final Map<String, Set<String>> liveByPod = new HashMap<>();
    private long created;
    private long deleted;
    private int duplicates;

    @Override
    public synchronized void stored(ResourcePath at, WatchEvent change) {
        boolean added = "ADDED".equals(change.type());
        if (!"virtualmachineinstances".equals(at.plural()) || !(added || "DELETED".equals(change.type()))) {
            return;
        }
        String name = change.object().name();
        String podUid = change.object().label(Names.POD_UID_LABEL);
        if (podUid.isEmpty()) {
            podUid = name;
        }
        Set<String> live = liveByPod.computeIfAbsent(podUid, k -> new HashSet<>());
        if (added) {
            created++;
            if (!live.isEmpty() && !live.contains(name)) {
                duplicates++;
            }
            live.add(name);
        } else {
            deleted++;
            live.remove(name);
        }
    }

    /** Drops everything recorded so far (the simulator's warm-up, once all its VMIs are gone). */
    public synchronized void forget() {
        liveByPod.clear();
        created = 0;
        deleted = 0;
        duplicates = 0;
    }

    public synchronized long created() {
        return created;
    }

    public synchronized long deleted() {
        return deleted;
    }

    public synchronized int duplicates() {
        return duplicates;
    }
}
