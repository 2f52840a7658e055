package io.maroonedpods.extender.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.filter.NodeFacts;
import java.util.List;
import java.util.Map;

/** The {@link NodeFacts} of a Node object held by an informer; computed once per watch event, not per request. */
public final class NodeFactsOf {
    private NodeFactsOf() {}

    public static NodeFacts of(Node node, String taintKey) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        boolean ready = false;
        boolean unschedulable = false;
        boolean tainted = false;
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition condition : node.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    ready = "True".equals(condition.getStatus());
                }
            }
        }
        if (node.getSpec() != null) {
            unschedulable = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            List<Taint> taints = node.getSpec().getTaints();
            tainted = taints != null && taints.stream().anyMatch(t -> taintKey.equals(t.getKey()));
        }
        String verifiedUid = labels.get(Names.VERIFIED_POD_UID_LABEL);
        String selfUid = labels.get(Names.POD_UID_LABEL);
        // A verified node carries the same UID twice: one String for both (10,000 cached nodes, 10,000 copies fewer).
        if (selfUid != null && selfUid.equals(verifiedUid)) {
            selfUid = verifiedUid;
        }
        return new NodeFacts(
                node.getMetadata().getName(),
                verifiedUid,
                selfUid,
                "true".equals(labels.get(Names.POOL_LABEL)),
                tainted,
                ready,
                unschedulable,
                node.getMetadata().getDeletionTimestamp() != null);
    }
}
