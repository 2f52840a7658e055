package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.Toleration;
import io.maroonedpods.api.Names;
import java.util.ArrayList;
import java.util.List;

/** What the provisioner adds to and removes from a user pod: the dedicated toleration and our scheduling gate. Pure. */
final class PodShape {
    private PodShape() {}

    /** Tolerates {@code <taintKey>/dedicated=<uid>:NoSchedule}, the taint of the pod's own node. */
    static Toleration toleration(String dedicatedTaintKey, String podUid) {
        return new Toleration("NoSchedule", dedicatedTaintKey, "Equal", null, podUid);
    }

    static boolean tolerates(Pod pod, Toleration wanted) {
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        return tolerations != null
                && tolerations.stream()
                        .anyMatch(t -> wanted.getKey().equals(t.getKey())
                                && wanted.getValue().equals(t.getValue())
                                && "Equal".equals(t.getOperator())
                                && "NoSchedule".equals(t.getEffect()));
    }

    /** The pod's tolerations with ours added if it lacks it. */
    static List<Toleration> withToleration(Pod pod, Toleration toleration) {
        List<Toleration> tolerations = new ArrayList<>(
                pod.getSpec().getTolerations() == null
                        ? List.of()
                        : pod.getSpec().getTolerations());
        if (!tolerates(pod, toleration)) {
            tolerations.add(toleration);
        }
        return tolerations;
    }

    static boolean gated(Pod pod) {
        List<PodSchedulingGate> gates = pod.getSpec().getSchedulingGates();
        return gates != null && gates.stream().anyMatch(g -> Names.SCHEDULING_GATE.equals(g.getName()));
    }
}
