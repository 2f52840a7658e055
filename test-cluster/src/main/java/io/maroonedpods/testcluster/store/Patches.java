package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.Iterator;
import java.util.Map;

/**
 * PATCH bodies applied to a stored object, by Content-Type: JSON Patch (RFC 6902, what fabric8's {@code edit} and
 * {@code patch(T)} send) and JSON merge patch (RFC 7386). Strategic merge and server-side apply need the resources'
 * schemas (merge keys, field ownership); nothing in the flow sends them, so they are refused with 415. Pure.
 */
public final class Patches {
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";

    private Patches() {}

    /**
     * @return a new object: the stored one with the patch applied (the stored one is not changed)
     * @throws ApiException 415 for an unsupported patch type, 422 for a patch that does not apply
     */
    public static ObjectNode apply(String contentType, ObjectNode stored, JsonNode patch) {
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        JsonNode result = switch (type) {
            case JSON_PATCH -> jsonPatch(stored, patch);
            case MERGE_PATCH -> mergePatch(stored, patch);
            default ->
                throw new ApiException(
                        415,
                        "UnsupportedMediaType",
                        "the body of the request was in an unknown format - "
                                + "accepted media types include: application/json-patch+json, application/merge-patch+json"
                                + " (the simulated API server does not model "
                                + (type.isEmpty() ? "this patch type" : type) + ")");
        };
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.invalid("the patch does not leave an object");
        }
        return object;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper TEXT =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static JsonNode jsonPatch(ObjectNode stored, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        try {
            // Through text, as kube-apiserver decodes both: a test operation compares numbers by value, and Jackson
            // tells a stored long node from the int node a request's 300 parses to.
            return JsonPatch.apply(TEXT.readTree(patch.toString()), TEXT.readTree(stored.toString()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (JsonPatchException | IllegalArgumentException e) {
            throw ApiException.invalid("the JSON patch does not apply: " + e.getMessage());
        }
    }

    /** RFC 7386: objects merge recursively, null removes, anything else (arrays included) replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : ((ObjectNode) patch).objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
