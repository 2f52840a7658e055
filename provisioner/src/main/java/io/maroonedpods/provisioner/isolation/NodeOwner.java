package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.Node;
import io.maroonedpods.api.Names;
import java.util.Map;

/**
 * Whose a {@code maroon-*} node is, from its name and (for a warm-pool node) the restricted label, which only the
 * provisioner sets once a claim is complete. Pure.
 *
 * @param kind     what the node is
 * @param ownerUid the UID of the pod it belongs to; null when it belongs to none
 */
public record NodeOwner(Kind kind, String ownerUid) {

    public enum Kind {
        /** {@code maroon-<uid>}: the pod's own VM, whether its node is verified yet or not. */
        DEDICATED,
        /** A warm-pool node whose claim is complete: it is its claimer's now. */
        CLAIMED_POOL,
        /** A warm-pool node nobody has claimed (or whose claim is not complete): no pod may run there yet. */
        POOL,
        /** Another {@code maroon-*} name: not a VM of ours, yet named like one (a forged registration). */
        OTHER
    }

    /**
     * @param node the node as the API has it now, or null when no node of that name exists (read only for warm-pool
     *             names: a dedicated node's owner is in its name)
     */
    public static NodeOwner of(String nodeName, Node node) {
        String uid = Names.podUidOf(nodeName);
        if (uid != null) {
            return new NodeOwner(Kind.DEDICATED, uid);
        }
        if (nodeName.startsWith(Names.POOL_NODE_PREFIX)) {
            Map<String, String> labels =
                    node == null ? null : node.getMetadata().getLabels();
            String claimer = labels == null ? null : labels.get(Names.VERIFIED_POD_UID_LABEL);
            return claimer == null ? new NodeOwner(Kind.POOL, null) : new NodeOwner(Kind.CLAIMED_POOL, claimer);
        }
        return new NodeOwner(Kind.OTHER, null);
    }

    /** Whether the node must be read to know its owner (a warm-pool node: claimed or not). */
    public static boolean needsNode(String nodeName) {
        return Names.podUidOf(nodeName) == null && nodeName.startsWith(Names.POOL_NODE_PREFIX);
    }

    /** The metric label: dedicated (a pod's own VM, claimed pool VMs included), pool, or other. */
    public String metricLabel() {
        return switch (kind) {
            case DEDICATED, CLAIMED_POOL -> "dedicated";
            case POOL -> "pool";
            case OTHER -> "other";
        };
    }
}
