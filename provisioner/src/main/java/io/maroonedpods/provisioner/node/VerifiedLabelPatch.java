package io.maroonedpods.provisioner.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.apply.GuardedPatch;
import java.util.List;
import java.util.Map;

/**
 * The JSON patch (RFC 6902) that sets the restricted label on a node that passed {@link NodeVerification}, guarded by
 * {@code test} operations on each field the verification read: the node's identity (uid), its self-label, the
 * dedicated taint, its addresses and its systemUUID. The API server applies it only while all of them are as verified
 * (else 422), so nothing is labelled on stale evidence. A resourceVersion precondition guarded as well, but then every
 * write to the node in between made it a conflict: the kubelet's first status writes land in the very moments after
 * registration, when the label goes on. Where a field cannot be tested (no self-label: its absence cannot be tested),
 * the patch tests the resourceVersion instead. Pure.
 */
public final class VerifiedLabelPatch {
    private VerifiedLabelPatch() {}

    /** @param verified the node version that passed verification for the pod (its dedicated taint's value is the UID) */
    public static ArrayNode of(Node verified, String podUid, String dedicatedTaintKey, KubernetesSerialization json) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        ops.add(GuardedPatch.test(
                "/metadata/uid", TextNode.valueOf(verified.getMetadata().getUid())));
        Map<String, String> labels = verified.getMetadata().getLabels();
        String selfLabel = labels == null ? null : labels.get(Names.POD_UID_LABEL);
        if (selfLabel != null) {
            ops.add(GuardedPatch.test(
                    GuardedPatch.pointer("metadata", "labels", Names.POD_UID_LABEL), TextNode.valueOf(selfLabel)));
        } else {
            ops.add(GuardedPatch.test(
                    "/metadata/resourceVersion",
                    TextNode.valueOf(verified.getMetadata().getResourceVersion())));
        }
        List<Taint> taints = verified.getSpec().getTaints();
        for (int i = 0; i < taints.size(); i++) {
            Taint taint = taints.get(i);
            if (dedicatedTaintKey.equals(taint.getKey())
                    && podUid.equals(taint.getValue())
                    && "NoSchedule".equals(taint.getEffect())) {
                ops.add(GuardedPatch.test("/spec/taints/" + i, json.convertValue(taint, JsonNode.class)));
                break;
            }
        }
        ops.add(GuardedPatch.test(
                "/status/addresses", json.convertValue(verified.getStatus().getAddresses(), JsonNode.class)));
        String systemUuid = verified.getStatus().getNodeInfo() == null
                ? null
                : verified.getStatus().getNodeInfo().getSystemUUID();
        if (systemUuid != null) {
            ops.add(GuardedPatch.test("/status/nodeInfo/systemUUID", TextNode.valueOf(systemUuid)));
        }
        if (labels == null) {
            ops.add(GuardedPatch.add(
                    "/metadata/labels",
                    JsonNodeFactory.instance.objectNode().put(Names.VERIFIED_POD_UID_LABEL, podUid)));
        } else {
            ops.add(GuardedPatch.add(
                    GuardedPatch.pointer("metadata", "labels", Names.VERIFIED_POD_UID_LABEL),
                    TextNode.valueOf(podUid)));
        }
        return ops;
    }
}
