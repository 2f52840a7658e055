package io.maroonedpods.provisioner.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.maroonedpods.api.Tolerations;
import java.util.List;

/**
 * Whether a node would take a pod with given tolerations right now, as kube-scheduler judges it: Ready, not cordoned,
 * and each of its NoSchedule and NoExecute taints tolerated. Gated mode opens the pod's gate only then: a pod let in
 * earlier would only fail its first attempt. The node lifecycle controller's not-ready NoExecute taint, which stays up
 * to one of its passes after the node turned Ready, does not count when the pod tolerates it, as every pod does by
 * default ({@link Tolerations#DEFAULT_NO_EXECUTE}).
 */
public final class NodeReadiness {
    private NodeReadiness() {}

    public static boolean acceptsPods(Node node, List<Toleration> tolerations) {
        if (node == null || node.getStatus() == null || node.getSpec() == null) {
            return false;
        }
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        List<Taint> taints =
                node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        if (!Tolerations.toleratesAll(tolerations, taints)) {
            return false;
        }
        List<NodeCondition> conditions = node.getStatus().getConditions();
        return conditions != null
                && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
