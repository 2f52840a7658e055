package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;

/**
 * Which preemption candidates stay: never a dedicated node that is not the pod's own verified node, so no pod is
 * evicted from another pod's VM (for a non-maroon pod: from any dedicated node), since the preemptor could never run
 * there. Ordinary nodes are left to the scheduler.
 */
public final class Preempt {
    private Preempt() {}

    /**
     * @param facts what our informer knows about the node, null when it is not a dedicated node we know
     */
    public static boolean keepsCandidate(PodBeingScheduled pod, String nodeName, NodeFacts facts) {
        boolean dedicated = facts != null ? facts.dedicated() : Names.isMaroonNodeName(nodeName);
        if (!dedicated) {
            return true;
        }
        return pod.maroon() && facts != null && facts.verifiedFor(pod.uid());
    }
}
