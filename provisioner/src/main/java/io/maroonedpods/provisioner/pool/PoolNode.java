package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A warm-pool node as it should be once marked available or claimed, worked out from the node as it is: changed only
 * while it still passes {@link NodeVerification#checkPool}, else left as it is (nothing is written). Pure.
 */
final class PoolNode {
    /**
     * What a pool node's verification reads and a write to it leaves as it is: the write applies only while these are
     * as verified (else the API server answers 422 and the node is read and verified again).
     */
    static final List<String> EVIDENCE =
            List.of("/metadata/uid", "/metadata/labels", "/status/addresses", "/status/nodeInfo/systemUUID");

    private PoolNode() {}

    /** Marked available: a pod may claim it. */
    static Node available(Node node, VirtualMachineInstance vmi, String dedicatedTaintKey) {
        if (!verified(node, vmi, dedicatedTaintKey)) {
            return node;
        }
        node.getMetadata().setLabels(with(node.getMetadata().getLabels(), Names.POOL_AVAILABLE_LABEL, "true"));
        return node;
    }

    /**
     * The pod's now: its self-label, the restricted label and its pool taint replaced by the pod's, in one write, so the
     * node is never without a taint and never carries the restricted label with the pool taint.
     */
    static Node dedicated(Node node, VirtualMachineInstance vmi, String podUid, String dedicatedTaintKey) {
        if (!verified(node, vmi, dedicatedTaintKey)) {
            return node;
        }
        Map<String, String> labels = new HashMap<>(node.getMetadata().getLabels());
        labels.remove(Names.POOL_AVAILABLE_LABEL);
        labels.put(Names.POD_UID_LABEL, podUid);
        labels.put(Names.VERIFIED_POD_UID_LABEL, podUid);
        node.getMetadata().setLabels(labels);
        node.getSpec().setTaints(dedicatedTo(node.getSpec().getTaints(), dedicatedTaintKey, podUid));
        return node;
    }

    /** The node's taints with the pool taint's value replaced by the pod UID; every other taint kept. */
    static List<Taint> dedicatedTo(List<Taint> taints, String dedicatedTaintKey, String podUid) {
        List<Taint> result = new ArrayList<>();
        for (Taint taint : taints) {
            boolean pool = dedicatedTaintKey.equals(taint.getKey()) && Names.POOL_TAINT_VALUE.equals(taint.getValue());
            result.add(pool ? new Taint(taint.getEffect(), taint.getKey(), null, podUid) : taint);
        }
        return result;
    }

    static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> result = labels == null ? new HashMap<>() : new HashMap<>(labels);
        result.put(key, value);
        return result;
    }

    private static boolean verified(Node node, VirtualMachineInstance vmi, String dedicatedTaintKey) {
        return NodeVerification.checkPool(node, vmi, dedicatedTaintKey).is(NodeVerdict.Outcome.VERIFIED);
    }
}
