package io.maroonedpods.extender.wire;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * kube-scheduler's {@code ExtenderArgs{Pod, Nodes, NodeNames}} (extender/v1), the body of filter and prioritize.
 * Exactly one of {@code nodes} and {@code nodeNames} is non-null: it is the mode the scheduler asked in.
 *
 * @param pod       the pod being scheduled
 * @param nodes     full-Nodes mode: the Node objects sent, with their facts and raw bytes
 * @param nodeNames NodeNames mode (nodeCacheCapable): the candidate names
 * @param body      the request body
 * @param nameSpans for NodeNames: where each name's JSON text (between its quotes, still escaped) lies in the body,
 *                  start and end offsets in pairs, so answers copy names instead of encoding them again
 */
public record ExtenderArgs(Pod pod, SentNodes nodes, List<String> nodeNames, byte[] body, int[] nameSpans) {

    public boolean namesMode() {
        return nodeNames != null;
    }

    /** The JSON text of NodeNames[index] exactly as sent (escaped, without quotes). */
    public RawJson rawName(int index) {
        return new RawJson(body, nameSpans[2 * index], nameSpans[2 * index + 1] - nameSpans[2 * index]);
    }
}
