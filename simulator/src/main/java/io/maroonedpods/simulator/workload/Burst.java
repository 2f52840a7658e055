package io.maroonedpods.simulator.workload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The burst of maroon pods, created from a few threads at once as a controller or several clients would: one after
 * the other, 1,000 pods took 13-25 s to arrive on a loaded 2-core machine, longer than the provisioner took to follow.
 */
public final class Burst {
    private static final int CREATORS = 8;

    private Burst() {}

    /** Creates {@code maroon-1} … {@code maroon-<pods>} and returns once they all exist. */
    public static void create(KubernetesClient client, int pods, boolean gated) {
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 1; i <= pods; i++) {
                Pod pod = Workload.maroonPod(i, gated);
                created.add(creators.submit(() -> client.resource(pod).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the pods", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not create a pod: " + e.getCause().getMessage(), e.getCause());
        } finally {
            creators.shutdownNow();
        }
    }
}
