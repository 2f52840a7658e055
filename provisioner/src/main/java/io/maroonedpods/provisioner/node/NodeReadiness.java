package io.maroonedpods.provisioner.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Set;

/**
 * Whether a node would take a pod right now. Gated mode opens the pod's gate only then: a verified node that is not
 * yet Ready still carries the kubelet's not-ready taint, and a pod let in early would only fail its first attempt.
 */
public final class NodeReadiness {
    private static final Set<String> NOT_READY_TAINTS =
            Set.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

    private NodeReadiness() {
    }

    public static boolean acceptsPods(Node node) {
        if (node == null || node.getStatus() == null || node.getSpec() == null) {
            return false;
        }
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        List<Taint> taints = node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        if (taints.stream().anyMatch(t -> NOT_READY_TAINTS.contains(t.getKey()))) {
            return false;
        }
        List<NodeCondition> conditions = node.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
