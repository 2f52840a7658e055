package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.config.ConfigView;
import java.time.Instant;

/**
 * What the pod controller knows about one pod when it decides, all from its caches and its own bookkeeping (no API
 * read): the input of {@link PodPlan}.
 *
 * @param pod            the pod as the informer has it (its last state when it was deleted)
 * @param optedIn        it opts in (names the scheduler, or carries the label)
 * @param deleted        the watch reported it deleted
 * @param watchMayLoseLivePods a delete event may mean the pod left the watch's selection (label-selected watch)
 * @param vmName         its VM's (and node's) name: its own {@code maroon-<uid>} or the pool VM it claimed
 * @param vmi            that VMI, or null
 * @param node           that node, or null
 * @param boundNodeHasVmi when the pod is bound to a {@code maroon-*} node: whether a VMI of that name is cached
 * @param config         the configuration as it is now
 * @param poolVmFits     an available warm-pool VM would fit the pod
 * @param slotFree       a boot slot would be the pod's now
 * @param now            the time of the decision
 */
record PodObservation(
        Pod pod,
        boolean optedIn,
        boolean deleted,
        boolean watchMayLoseLivePods,
        String vmName,
        VirtualMachineInstance vmi,
        Node node,
        boolean boundNodeHasVmi,
        ConfigView config,
        boolean poolVmFits,
        boolean slotFree,
        Instant now) {

    String uid() {
        return pod.getMetadata().getUid();
    }

    /** The same, the pod confirmed gone from the API server. */
    PodObservation confirmedGone() {
        return new PodObservation(
                pod, optedIn, true, false, vmName, vmi, node, boundNodeHasVmi, config, poolVmFits, slotFree, now);
    }

    String boundTo() {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? null : node;
    }
}
