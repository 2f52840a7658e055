package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The status a kubelet posts for a Ready node, for the nodes the suite registers itself (the workers its kubelets run,
 * the scheduler benchmark's nodes): capacity, all of it allocatable, and the Ready condition.
 */
public final class ReadyNodes {
    private ReadyNodes() {}

    /**
     * @param cpu    whole CPUs or millicores, as a Quantity reads them ({@code "8"})
     * @param memory as a Quantity reads it ({@code "32Gi"})
     * @param pods   how many pods the node takes
     * @param now    when the node turned Ready (and last reported so), in whole seconds as the API server keeps it
     */
    public static NodeStatus status(String cpu, String memory, int pods, Instant now) {
        String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new NodeStatusBuilder()
                .withCapacity(resources(cpu, memory, pods))
                .withAllocatable(resources(cpu, memory, pods))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .withLastHeartbeatTime(since)
                .withLastTransitionTime(since)
                .endCondition()
                .build();
    }

    private static Map<String, Quantity> resources(String cpu, String memory, int pods) {
        return Map.of(
                "cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity(Integer.toString(pods)));
    }
}
