package io.maroonedpods.extender.bind;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.filter.PodBeingScheduled;
import io.maroonedpods.extender.wire.ExtenderBindingArgs;
import java.util.Map;

/**
 * Whether a bind may happen, decided from the pod and node as just read from the API server. Only the restricted
 * label counts: a node that labelled itself with the pod's UID is refused.
 */
public final class BindDecision {
    private BindDecision() {}

    /**
     * @param pod  the pod as the API server has it now, null when it does not exist
     * @param node the node as the API server has it now, null when it does not exist
     */
    public static BindVerdict decide(ExtenderBindingArgs args, Pod pod, Node node, String schedulerName) {
        String podRef = "pod " + args.podRef();
        if (pod == null) {
            return BindVerdict.refuse(podRef + " not found");
        }
        String uid = pod.getMetadata().getUid();
        if (!args.podUid().equals(uid)) {
            return BindVerdict.refuse(
                    podRef + " has UID " + uid + ", not " + args.podUid() + " (recreated under the same name)");
        }
        String boundTo = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (boundTo != null && !boundTo.isEmpty()) {
            return boundTo.equals(args.node())
                    ? BindVerdict.ALREADY_BOUND
                    : BindVerdict.refuse(podRef + " is already bound to node " + boundTo);
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return BindVerdict.refuse(podRef + " is being deleted");
        }
        if (!PodBeingScheduled.of(pod, schedulerName).maroon()) {
            return BindVerdict.refuse(podRef + " is not a maroon pod: this extender binds only maroon pods");
        }
        return nodeVerdict(args, node);
    }

    private static BindVerdict nodeVerdict(ExtenderBindingArgs args, Node node) {
        String nodeRef = "node " + args.node();
        if (node == null) {
            return BindVerdict.refuse(nodeRef + " not found");
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        String verified = labels.get(Names.VERIFIED_POD_UID_LABEL);
        if (!args.podUid().equals(verified)) {
            if (args.podUid().equals(labels.get(Names.POD_UID_LABEL))) {
                return BindVerdict.refuse(nodeRef + " labelled itself for this pod but is not verified");
            }
            return BindVerdict.refuse(
                    verified != null
                            ? nodeRef + " is dedicated to another pod"
                            : nodeRef + " is not the pod's verified dedicated node");
        }
        if (node.getMetadata().getDeletionTimestamp() != null) {
            return BindVerdict.refuse(nodeRef + " is being deleted");
        }
        return BindVerdict.BIND;
    }
}
