package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What kube-apiserver's pod update validation ({@code ValidatePodUpdate} in {@code pkg/apis/core/validation}) lets an
 * update or patch of a pod change in its spec: container and init container images, activeDeadlineSeconds (set, or
 * lowered), tolerations (additions, and an existing one's tolerationSeconds), terminationGracePeriodSeconds (to 1 from
 * a negative value) and schedulingGates (removals); while the pod is gated, also additions to nodeSelector and to its
 * required node affinity. Anything else, spec.nodeName first of all (only a Binding sets it), is 422 Invalid. The
 * status subresource never reaches this: it keeps the stored spec. Pure.
 *
 * <p>As apimachinery's semantic equality treats a nil and an empty list or map alike, a missing member, null,
 * {@code []} and <code>{}</code> are alike here.
 */
public final class PodUpdates {
    static final String NOT_UPDATABLE = "spec: Forbidden: pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
    private static final String AFFINITY_TERMS =
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
    private static final Comparator<JsonNode> NUMERIC =
            (a, b) -> a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private PodUpdates() {}

    /**
     * @throws ApiException 422 Invalid, in kube-apiserver's wording, when {@code updated} changes what may not change
     */
    public static void check(JsonNode stored, JsonNode updated) {
        List<String> errors = errors(stored.path("spec"), updated.path("spec"));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(
                    "Pod \"" + stored.path("metadata").path("name").asText() + "\" is invalid: "
                            + (errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]"));
        }
    }

    /** The field errors of an update from spec {@code old} to spec {@code now}, as kube-apiserver lists them. */
    static List<String> errors(JsonNode old, JsonNode now) {
        List<String> errors = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            if (old.path(list).size() != now.path(list).size()) {
                errors.add("spec." + list + ": Forbidden: pod updates may not add or remove containers");
                return errors;
            }
            for (int i = 0; i < now.path(list).size(); i++) {
                if (now.path(list).path(i).path("image").asText("").isEmpty()) {
                    errors.add("spec." + list + "[" + i + "].image: Required value");
                }
            }
        }
        if (!activeDeadlineErrors(old, now, errors)) {
            return errors;
        }
        if (!onlyAddedTolerations(old.path("tolerations"), now.path("tolerations"))) {
            errors.add(
                    "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
        }
        addedGates(old.path("schedulingGates"), now.path("schedulingGates"), errors);
        ObjectNode munged = now.isObject() ? (ObjectNode) now.deepCopy() : JsonNodeFactory.instance.objectNode();
        mungeUpdatable(old, munged);
        if (old.path("schedulingGates").size() > 0) {
            mungeGatedPlacement(old, munged, errors);
        }
        if (!same(old, munged)) {
            errors.add(NOT_UPDATABLE + "\n  changed: " + changedMembers(old, munged));
        }
        return errors;
    }

    /** Adds the errors about activeDeadlineSeconds; false when validation stops there, as kube-apiserver's does. */
    private static boolean activeDeadlineErrors(JsonNode old, JsonNode now, List<String> errors) {
        JsonNode was = old.path("activeDeadlineSeconds");
        JsonNode is = now.path("activeDeadlineSeconds");
        String path = "spec.activeDeadlineSeconds: Invalid value: ";
        if (is.isNumber()) {
            if (is.asLong() < 0 || is.asLong() > Integer.MAX_VALUE) {
                errors.add(path + is.asLong() + ": must be between 0 and " + Integer.MAX_VALUE + ", inclusive");
                return false;
            }
            if (was.isNumber() && was.asLong() < is.asLong()) {
                errors.add(path + is.asLong() + ": must be less than or equal to previous value");
                return false;
            }
        } else if (was.isNumber()) {
            errors.add(path + "\"null\": must not update from a positive integer to nil value");
        }
        return true;
    }

    /** Every toleration the pod had is still there, its tolerationSeconds aside. */
    private static boolean onlyAddedTolerations(JsonNode old, JsonNode now) {
        for (JsonNode was : old) {
            boolean kept = false;
            for (JsonNode is : now) {
                kept |= same(withoutSeconds(was), withoutSeconds(is));
            }
            if (!kept) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode withoutSeconds(JsonNode toleration) {
        return toleration.isObject() ? ((ObjectNode) toleration.deepCopy()).without("tolerationSeconds") : toleration;
    }

    private static void addedGates(JsonNode old, JsonNode now, List<String> errors) {
        TreeSet<String> had = new TreeSet<>();
        old.forEach(gate -> had.add(gate.path("name").asText()));
        for (int i = 0; i < now.size(); i++) {
            String name = now.path(i).path("name").asText();
            if (!had.contains(name)) {
                errors.add("spec.schedulingGates[" + i + "].name: Forbidden: only deletion is allowed, but found new "
                        + "scheduling gate '" + name + "'");
            }
        }
    }

    /** Puts back the old values of what may change, so that what remains must equal the old spec. */
    private static void mungeUpdatable(JsonNode old, ObjectNode munged) {
        for (String list : List.of("containers", "initContainers")) {
            JsonNode containers = munged.path(list);
            for (int i = 0; i < containers.size(); i++) {
                if (containers.get(i) instanceof ObjectNode container) {
                    ObjectRules.copyField(old.path(list).path(i), container, "image");
                }
            }
        }
        ObjectRules.copyField(old, munged, "activeDeadlineSeconds");
        ObjectRules.copyField(old, munged, "schedulingGates");
        ObjectRules.copyField(old, munged, "tolerations");
        JsonNode grace = old.path("terminationGracePeriodSeconds");
        if (grace.isNumber()
                && grace.asLong() < 0
                && munged.path("terminationGracePeriodSeconds").asLong(0) == 1) {
            ObjectRules.copyField(old, munged, "terminationGracePeriodSeconds");
        }
    }

    /** A gated pod's nodeSelector may gain entries, and its required node affinity terms may gain requirements. */
    private static void mungeGatedPlacement(JsonNode old, ObjectNode munged, List<String> errors) {
        JsonNode selector = munged.path("nodeSelector");
        var entries = old.path("nodeSelector").properties().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (!selector.path(entry.getKey()).equals(entry.getValue())) {
                errors.add("spec.nodeSelector: Invalid value: " + selector
                        + ": only additions to spec.nodeSelector are allowed (no mutations or deletions)");
                break;
            }
        }
        ObjectRules.copyField(old, munged, "nodeSelector");
        JsonNode oldTerms = old.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms");
        JsonNode newTerms = munged.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms");
        if (!oldTerms.isEmpty() && oldTerms.size() != newTerms.size()) {
            errors.add(AFFINITY_TERMS
                    + ": Invalid value: no additions/deletions to non-empty NodeSelectorTerms list are allowed");
        } else {
            for (int i = 0; i < oldTerms.size(); i++) {
                if (!onlyAdded(oldTerms.get(i), newTerms.get(i), "matchExpressions")
                        || !onlyAdded(oldTerms.get(i), newTerms.get(i), "matchFields")) {
                    errors.add(AFFINITY_TERMS + "[" + i
                            + "]: Invalid value: only additions are allowed (no mutations or deletions)");
                }
            }
        }
        if (munged.get("affinity") instanceof ObjectNode affinity) {
            ObjectRules.copyField(old.path("affinity"), affinity, "nodeAffinity");
        } else if (old.path("affinity").has("nodeAffinity")) {
            munged.putObject("affinity")
                    .set(
                            "nodeAffinity",
                            old.path("affinity").path("nodeAffinity").deepCopy());
        }
    }

    /** The new term's requirements of this kind begin with the old term's. */
    private static boolean onlyAdded(JsonNode oldTerm, JsonNode newTerm, String kind) {
        JsonNode was = oldTerm.path(kind);
        JsonNode is = newTerm.path(kind);
        if (was.size() > is.size()) {
            return false;
        }
        for (int i = 0; i < was.size(); i++) {
            if (!same(was.get(i), is.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Semantic equality: numbers by value; a missing member, null, [] and {} alike. */
    static boolean same(JsonNode a, JsonNode b) {
        return normal(a).equals(NUMERIC, normal(b));
    }

    private static JsonNode normal(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = node.deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = normal(copy.get(name));
                if (absent(value)) {
                    copy.remove(name);
                } else {
                    copy.set(name, value);
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(normal(item)));
            return copy;
        }
        return node;
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || value.isContainerNode() && value.isEmpty();
    }

    /** The spec members that differ, for the message (kube-apiserver prints a diff). */
    private static String changedMembers(JsonNode old, JsonNode munged) {
        TreeSet<String> names = new TreeSet<>();
        old.fieldNames().forEachRemaining(names::add);
        munged.fieldNames().forEachRemaining(names::add);
        names.removeIf(name -> same(old.path(name), munged.path(name)));
        return names.stream().map(name -> "spec." + name).toList().toString();
    }
}
