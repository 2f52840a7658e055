package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The mutating admission kube-apiserver applies by default that the flow depends on, as a pure function of the
 * created object: DefaultTolerationSeconds gives every pod 300 s tolerations of the not-ready and unreachable
 * NoExecute taints (unless it tolerates them already), which is why a node that just turned Ready, still carrying the
 * node lifecycle controller's not-ready NoExecute taint, takes pods.
 */
public final class Admission {
    static final long DEFAULT_TOLERATION_SECONDS = 300;
    private static final String[] NO_EXECUTE_KEYS = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"};

    private Admission() {}

    /** The object as admitted on create to {@code at}; objects of other resources are returned unchanged. */
    public static ObjectNode onCreate(ResourcePath at, ObjectNode object) {
        if (!"/v1/pods".equals(at.resource())) {
            return object;
        }
        ObjectNode pod = object.deepCopy();
        ObjectNode spec = pod.withObjectProperty("spec");
        ArrayNode tolerations =
                spec.has("tolerations") && spec.get("tolerations").isArray()
                        ? (ArrayNode) spec.get("tolerations")
                        : spec.putArray("tolerations");
        for (String key : NO_EXECUTE_KEYS) {
            if (!tolerates(tolerations, key)) {
                tolerations
                        .addObject()
                        .put("key", key)
                        .put("operator", "Exists")
                        .put("effect", "NoExecute")
                        .put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
            }
        }
        return pod;
    }

    /** As the plugin checks: a toleration of that key (or of every key) for NoExecute (or every effect). */
    private static boolean tolerates(ArrayNode tolerations, String key) {
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            String tolerated = t.path("key").asText("");
            boolean everyKey =
                    tolerated.isEmpty() && "Exists".equals(t.path("operator").asText(""));
            if ((effect.isEmpty() || effect.equals("NoExecute")) && (everyKey || tolerated.equals(key))) {
                return true;
            }
        }
        return false;
    }
}
