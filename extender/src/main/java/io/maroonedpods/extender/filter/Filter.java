package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The filter rule (DESIGN.md). A maroon pod passes exactly its own verified, Ready, schedulable, not-deleting node;
 * every other node is rejected with a reason a person can act on. Any other pod passes every node that is not
 * dedicated. Pure: the caller passes the informer view and the clock.
 */
public final class Filter {
    static final String DEDICATED_TO_ANOTHER_POD = "dedicated to another pod";
    static final String RESERVED_FOR_MAROON_PODS = "dedicated node, reserved for its maroon pod";
    static final String UNCLAIMED_POOL_NODE = "unclaimed warm-pool node";
    static final String NO_UID = "pod has no metadata.uid";

    private Filter() {}

    public static FilterDecision decide(
            PodBeingScheduled pod, CandidateNodes candidates, NodeView view, Instant now, boolean allowDaemonSets) {
        String[] rejections = new String[candidates.size()];
        if (pod.maroon()) {
            decideForMaroonPod(pod, candidates, view, now, rejections);
        } else if (!(allowDaemonSets && pod.daemonSet())) {
            for (int i = 0; i < rejections.length; i++) {
                if (candidates.dedicated(i)) {
                    rejections[i] = RESERVED_FOR_MAROON_PODS;
                }
            }
        }
        return new FilterDecision(rejections);
    }

    private static void decideForMaroonPod(
            PodBeingScheduled pod, CandidateNodes candidates, NodeView view, Instant now, String[] rejections) {
        if (pod.uid() == null || pod.uid().isEmpty()) {
            Arrays.fill(rejections, NO_UID);
            return;
        }
        String ownNode = Names.nodeName(pod.uid());
        String waiting = null;
        for (int i = 0; i < rejections.length; i++) {
            NodeFacts facts = candidates.facts(i);
            if (facts != null && facts.dedicated()) {
                rejections[i] = rejectionOfDedicatedNode(pod.uid(), ownNode, facts);
            } else if (facts == null && candidates.maroonNodeName(i)) {
                // The only place a name is decoded: a maroon-named node the cache does not know (yet).
                rejections[i] = ownNode.equals(candidates.name(i)) ? notVerifiedYet(ownNode) : DEDICATED_TO_ANOTHER_POD;
            } else {
                // An ordinary node: every one gets the same reason, computed once per request.
                if (waiting == null) {
                    waiting = waitingReason(pod.uid(), view, now);
                }
                rejections[i] = waiting;
            }
        }
    }

    /** Null when the node is the pod's usable verified node; otherwise why this dedicated node cannot take the pod. */
    private static String rejectionOfDedicatedNode(String podUid, String ownNode, NodeFacts node) {
        if (node.verifiedFor(podUid)) {
            return unusableReason(node);
        }
        if (node.verifiedPodUid() != null) {
            return DEDICATED_TO_ANOTHER_POD;
        }
        if (podUid.equals(node.selfPodUid()) || ownNode.equals(node.name())) {
            return notVerifiedYet(node.name());
        }
        return node.pool() ? UNCLAIMED_POOL_NODE : DEDICATED_TO_ANOTHER_POD;
    }

    /** Null when the pod's verified node can take it now, otherwise why not. */
    static String unusableReason(NodeFacts node) {
        if (node.deleting()) {
            return "dedicated node " + node.name() + " is being deleted";
        }
        if (!node.ready()) {
            return "dedicated node " + node.name() + " not Ready";
        }
        if (node.unschedulable()) {
            return "dedicated node " + node.name() + " is cordoned";
        }
        return null;
    }

    private static String notVerifiedYet(String nodeName) {
        return "dedicated node " + nodeName + " registered, not verified yet";
    }

    /** Why an ordinary node is rejected: where the pod's own node stands, so the message says what to wait for. */
    static String waitingReason(String podUid, NodeView view, Instant now) {
        String ownNode = Names.nodeName(podUid);
        NodeFacts own = view.dedicatedNode(ownNode);
        if (own != null && own.verifiedFor(podUid)) {
            String unusable = unusableReason(own);
            return unusable != null ? unusable : "not the pod's dedicated node " + ownNode;
        }
        if (own != null) {
            return notVerifiedYet(ownNode);
        }
        VmiState vmi = view.vmiOf(podUid);
        if (vmi == null) {
            return "no verified dedicated node yet: no VMI " + ownNode + " yet";
        }
        if (vmi.since() == null) {
            return "no verified dedicated node yet: VMI phase " + vmi.phase();
        }
        long seconds = Math.max(0, Duration.between(vmi.since(), now).toSeconds());
        return "no verified dedicated node yet: VMI phase " + vmi.phase() + " for " + seconds + "s";
    }
}
