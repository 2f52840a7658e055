package io.maroonedpods.simulator.report;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The isolation checks of a finished run, over the bound pods (pure). */
public final class Isolation {
    private Isolation() {}

    /**
     * Every maroon pod on its own node {@code maroon-<its uid>}, no two pods on one dedicated node, no other pod on a
     * dedicated node. Returns one sentence per violation.
     */
    public static List<String> violations(List<Pod> pods) {
        return violations(pods, Map.of());
    }

    /**
     * As {@link #violations(List)}, where a maroon pod may also be on a warm-pool node it claimed: a
     * {@code maroon-pool-*} node whose restricted label (in {@code verifiedUidByPoolNode}) is the pod's UID.
     */
    public static List<String> violations(List<Pod> pods, Map<String, String> verifiedUidByPoolNode) {
        List<String> violations = new ArrayList<>();
        Map<String, List<String>> podsByDedicatedNode = new HashMap<>();
        for (Pod pod : pods) {
            String node = pod.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                continue;
            }
            String ref =
                    pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            boolean maroon = OptIn.isMaroon(pod);
            String uid = pod.getMetadata().getUid();
            boolean ownNode = node.equals(Names.nodeName(uid))
                    || node.startsWith(Names.POOL_NODE_PREFIX) && uid.equals(verifiedUidByPoolNode.get(node));
            if (maroon && !ownNode) {
                violations.add("maroon pod " + ref + " is on node " + node + ", not on its own node");
            }
            if (!maroon && Names.isMaroonNodeName(node)) {
                violations.add("non-maroon pod " + ref + " is on dedicated node " + node);
            }
            if (Names.isMaroonNodeName(node)) {
                podsByDedicatedNode
                        .computeIfAbsent(node, k -> new ArrayList<>())
                        .add(ref);
            }
        }
        podsByDedicatedNode.forEach((node, refs) -> {
            if (refs.size() > 1) {
                violations.add("dedicated node " + node + " runs " + refs.size() + " pods: " + String.join(", ", refs));
            }
        });
        return violations;
    }
}
