package io.maroonedpods.simulator.report;

import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.StoreObserver;
import io.maroonedpods.testcluster.store.Stored;
import io.maroonedpods.testcluster.store.WatchEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The maroon pods the provisioner gave up on (the provisioning-failed annotation: left unbound, with a Warning), and
 * whether the VMs the simulated KubeVirt failed explain it. Giving up is the design once {@code maxBootAttempts} of a
 * pod's VMs failed, and only then: a run with injected VMI failures may end with such pods, never with others.
 */
public final class GiveUps implements StoreObserver {
    private final Map<String, Integer> failedVmis = new ConcurrentHashMap<>();
    private final Map<String, String> gaveUp = new ConcurrentHashMap<>();

    @Override
    public void stored(ResourcePath at, WatchEvent change) {
        if (!"MODIFIED".equals(change.type())) {
            return;
        }
        if ("virtualmachineinstances".equals(at.plural())
                && "Failed".equals(phase(change.object()))
                && !"Failed".equals(phase(change.previous()))) {
            failedVmis.merge(change.object().label(Names.POD_UID_LABEL), 1, Integer::sum);
        } else if ("pods".equals(at.plural()) && gaveUp(change.object()) && !gaveUp(change.previous())) {
            gaveUp.put(
                    change.object().object().path("metadata").path("uid").asText(),
                    change.object().namespace() + "/" + change.object().name());
        }
    }

    private static boolean gaveUp(Stored pod) {
        return pod.object().path("metadata").path("annotations").has(Names.PROVISIONING_FAILED_ANNOTATION);
    }

    private static String phase(Stored vmi) {
        return vmi.object().path("status").path("phase").asText();
    }

    /** Pods given up on so far, explained or not. */
    public int count() {
        return gaveUp.size();
    }

    /** "namespace/name after N failed VMs" for each pod given up on once at least {@code maxAttempts} VMs failed. */
    public List<String> asConfigured(int maxAttempts) {
        return described(maxAttempts, true);
    }

    /** The same for pods given up on with fewer failed VMs than that: not what the design allows. */
    public List<String> unexplained(int maxAttempts) {
        return described(maxAttempts, false);
    }

    private List<String> described(int maxAttempts, boolean explained) {
        return gaveUp.entrySet().stream()
                .filter(pod -> (failedVmis.getOrDefault(pod.getKey(), 0) >= maxAttempts) == explained)
                .map(pod -> pod.getValue() + " after " + failedVmis.getOrDefault(pod.getKey(), 0) + " failed VMs")
                .sorted()
                .toList();
    }

    /** Drops everything recorded so far (the simulator's warm-up). */
    public void forget() {
        failedVmis.clear();
        gaveUp.clear();
    }
}
