package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod bound to its node whose VM is gone. It can never run anywhere else (its node name is its VM's, and no other
 * VM may take that name while the pod exists), so it is failed, as the pod garbage collector fails a pod whose node is
 * gone: phase Failed, and a {@code DisruptionTarget} condition that a Job's podFailurePolicy can match. Pure.
 */
public final class LostVm {
    /** The pod's {@code status.reason}, as {@code kubectl get pods} shows it. */
    public static final String REASON = "VmLost";

    static final String DISRUPTION_TARGET = "DisruptionTarget";

    private LostVm() {}

    /**
     * Why the VM of a pod bound to node {@code nodeName} is lost, or null while it is there (a NotReady node is not
     * lost: the node lifecycle controller evicts its pods in its own time).
     *
     * @param vmi  the VMI named like the node, or null when there is none
     * @param node the node, or null when there is none
     */
    public static String why(String nodeName, VirtualMachineInstance vmi, Node node) {
        if (vmi == null) {
            return "its VMI " + nodeName + " is gone";
        }
        if (VmiPhase.isFinal(vmi.phase())) {
            String reason = vmi.getStatus() == null || vmi.getStatus().reason == null
                    ? ""
                    : " (" + vmi.getStatus().reason + ")";
            return "its VMI " + nodeName + " is " + vmi.phase() + reason;
        }
        return node == null ? "its node " + nodeName + " is gone" : null;
    }

    /** The pod as failed: phase Failed, reason VmLost, the message, and DisruptionTarget True. */
    public static Pod failed(Pod pod, String message, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        pod.getStatus().setPhase("Failed");
        pod.getStatus().setReason(REASON);
        pod.getStatus().setMessage(message);
        List<PodCondition> conditions = new ArrayList<>(
                pod.getStatus().getConditions() == null
                        ? List.of()
                        : pod.getStatus().getConditions());
        conditions.removeIf(c -> DISRUPTION_TARGET.equals(c.getType()));
        conditions.add(new PodConditionBuilder()
                .withType(DISRUPTION_TARGET)
                .withStatus("True")
                .withReason(REASON)
                .withMessage(message)
                .withLastTransitionTime(time)
                .build());
        pod.getStatus().setConditions(conditions);
        return pod;
    }
}
