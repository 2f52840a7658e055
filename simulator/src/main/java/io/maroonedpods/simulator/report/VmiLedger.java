package io.maroonedpods.simulator.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.ApiObserver;
import io.maroonedpods.testcluster.ApiPath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts VMI creations and deletions as the API server stores them, and duplicates: a VMI created for a pod while
 * another VMI of the same pod still exists (a retry after a deleted, failed VMI is not a duplicate).
 */
public final class VmiLedger implements ApiObserver {

    private final Map<String, Set<String>> liveByPod = new HashMap<>();
    private long created;
    private long deleted;
    private int duplicates;

    @Override
    public synchronized void written(String method, ApiPath path, JsonNode vmi) {
        if (!path.addresses("virtualmachineinstances") || !("POST".equals(method) || "DELETE".equals(method))) {
            return;
        }
        if (vmi.has("items")) {
            vmi.path("items").forEach(item -> record(method, item));
        } else {
            record(method, vmi);
        }
    }

    private void record(String method, JsonNode vmi) {
        String name = vmi.path("metadata").path("name").asText();
        String podUid =
                vmi.path("metadata").path("labels").path(Names.POD_UID_LABEL).asText(name);
        Set<String> live = liveByPod.computeIfAbsent(podUid, k -> new HashSet<>());
        if ("POST".equals(method)) {
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
