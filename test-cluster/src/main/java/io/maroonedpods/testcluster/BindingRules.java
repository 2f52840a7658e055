package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the API server does with {@code POST pods/{name}/binding}, as kube-apiserver's BindingREST does it: the
 * Binding's name must be the pod's, its target a Node name; a UID in the Binding is a precondition on the pod's UID;
 * a pod being deleted, already assigned or still carrying scheduling gates is a 409 Conflict; otherwise spec.nodeName
 * is set, the Binding's annotations are copied onto the pod, status.nominatedNodeName is cleared and PodScheduled is
 * True.
 */
public final class BindingRules {
    private BindingRules() {}

    /** The pod with its node set, or the refusal the API server answers with. */
    public sealed interface Outcome {}

    public record Bind(ObjectNode updatedPod, String nodeName) implements Outcome {}

    public record Refuse(int code, String reason, String message) implements Outcome {}

    /**
     * @param podName  the pod name in the request path
     * @param pod      the stored pod, or null when there is none
     * @param binding  the request body
     */
    public static Outcome decide(String podName, JsonNode pod, JsonNode binding, Instant now) {
        String bindingName = binding.path("metadata").path("name").asText();
        if (!bindingName.isEmpty() && !bindingName.equals(podName)) {
            return new Refuse(400, "BadRequest", "name in URL does not match name in Binding object");
        }
        JsonNode target = binding.path("target");
        String kind = target.path("kind").asText();
        String node = target.path("name").asText();
        if (!kind.isEmpty() && !kind.equals("Node")) {
            return new Refuse(400, "BadRequest", "target.kind: Unsupported value: \"" + kind + "\": must be Node");
        }
        if (node.isEmpty()) {
            return new Refuse(422, "Invalid", "target.name: Required value");
        }
        if (pod == null || pod.isMissingNode()) {
            return new Refuse(404, "NotFound", "pods \"" + podName + "\" not found");
        }
        String uidPrecondition = binding.path("metadata").path("uid").asText();
        String podUid = pod.path("metadata").path("uid").asText();
        if (!uidPrecondition.isEmpty() && !uidPrecondition.equals(podUid)) {
            return new Refuse(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on pods \"" + podName
                            + "\": Precondition failed: UID in precondition: " + uidPrecondition
                            + ", UID in object meta: " + podUid);
        }
        if (!pod.path("metadata").path("deletionTimestamp").asText().isEmpty()) {
            return new Refuse(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on pods/binding \"" + podName + "\": pod " + podName
                            + " is being deleted, cannot be assigned to a host");
        }
        String assigned = pod.path("spec").path("nodeName").asText();
        if (!assigned.isEmpty()) {
            return new Refuse(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on pods/binding \"" + podName + "\": pod " + podName
                            + " is already assigned to node \"" + assigned + "\"");
        }
        if (!pod.path("spec").path("schedulingGates").isEmpty()) {
            return new Refuse(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on pods/binding \"" + podName + "\": pod " + podName
                            + " has non-empty .spec.schedulingGates");
        }
        return new Bind(bound(pod, binding.path("metadata").path("annotations"), node, now), node);
    }

    private static ObjectNode bound(JsonNode pod, JsonNode annotations, String node, Instant now) {
        ObjectNode updated = ((ObjectNode) pod).deepCopy();
        updated.withObjectProperty("spec").put("nodeName", node);
        if (annotations.isObject() && !annotations.isEmpty()) {
            updated.withObjectProperty("metadata")
                    .withObjectProperty("annotations")
                    .setAll((ObjectNode) annotations);
        }
        ObjectNode status = updated.withObjectProperty("status");
        status.remove("nominatedNodeName");
        ArrayNode conditions = status.putArray("conditions");
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (!"PodScheduled".equals(condition.path("type").asText())) {
                conditions.add(condition);
            }
        }
        conditions
                .addObject()
                .put("type", "PodScheduled")
                .put("status", "True")
                .put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        return updated;
    }
}
