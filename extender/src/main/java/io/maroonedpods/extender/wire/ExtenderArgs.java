package io.maroonedpods.extender.wire;

import io.maroonedpods.extender.filter.PodBeingScheduled;

/**
 * kube-scheduler's {@code ExtenderArgs{Pod, Nodes, NodeNames}} (extender/v1), the body of filter and prioritize.
 * Exactly one of {@code nodes} and {@code nodeNames} is non-null: it is the mode the scheduler asked in.
 *
 * @param pod       what the decisions read of the pod being scheduled
 * @param nodes     full-Nodes mode: the Node objects sent, with their facts and raw bytes
 * @param nodeNames NodeNames mode (nodeCacheCapable): the candidate names, as the bytes they came in
 */
public record ExtenderArgs(PodBeingScheduled pod, FullNodeCandidates nodes, NameSpans nodeNames) {

    public boolean namesMode() {
        return nodeNames != null;
    }
}
