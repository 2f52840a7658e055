package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The field selectors one resource supports, as kube-apiserver has them. Two halves, as there: the field label
 * conversion of the resource's API version (which labels a request may use, and the selectable field each one means;
 * any other label is a 400 BadRequest) and the resource's {@code ...ToSelectableFields} (the value of each selectable
 * field on an object; one the set lacks reads as empty, as {@code fields.Set} answers).
 *
 * @param conversions label a request may use → the selectable field it stands for
 * @param values      selectable field → its value on a stored object
 * @param ownWording  true when the resource registers its own conversion function ({@code field label not supported:
 *                    <label>}); false for kube-apiserver's default conversion of metadata only, which words it
 *                    {@code "<label>" is not a known field selector: only "metadata.name", "metadata.namespace"}
 */
public record SelectableFields(
        Map<String, String> conversions, Map<String, Function<JsonNode, String>> values, boolean ownWording) {

    /** A builder-style start: the metadata fields, namespace included for namespaced resources. */
    static SelectableFields metadata(boolean namespaced, boolean ownWording) {
        Map<String, String> conversions = new LinkedHashMap<>();
        Map<String, Function<JsonNode, String>> values = new HashMap<>();
        conversions.put("metadata.name", "metadata.name");
        values.put("metadata.name", object -> text(object, "metadata.name"));
        if (namespaced || !ownWording) {
            // The default conversion accepts metadata.namespace on cluster-scoped resources too; their field set has
            // no such field, so it selects as empty there.
            conversions.put("metadata.namespace", "metadata.namespace");
        }
        if (namespaced) {
            values.put("metadata.namespace", object -> text(object, "metadata.namespace"));
        }
        return new SelectableFields(conversions, values, ownWording);
    }

    /** kube-apiserver's default: only metadata.name and metadata.namespace (ConfigMaps, Leases, CRDs themselves). */
    static SelectableFields metadataOnly(boolean namespaced) {
        return metadata(namespaced, false);
    }

    /** This set plus one field a request names as {@code label} and that reads as {@code value}. */
    SelectableFields with(String label, Function<JsonNode, String> value) {
        return alias(label, label).withValue(label, value);
    }

    /** This set plus a request label that stands for another selectable field (a renamed or versioned field). */
    SelectableFields alias(String label, String field) {
        Map<String, String> conversions = new LinkedHashMap<>(this.conversions);
        conversions.put(label, field);
        return new SelectableFields(Map.copyOf(conversions), values, ownWording);
    }

    /** This set plus the value of a selectable field that no request label names directly. */
    SelectableFields withValue(String field, Function<JsonNode, String> value) {
        Map<String, Function<JsonNode, String>> values = new HashMap<>(this.values);
        values.put(field, value);
        return new SelectableFields(conversions, Map.copyOf(values), ownWording);
    }

    /**
     * The selectable field a request's label stands for.
     *
     * @throws ApiException 400 BadRequest in kube-apiserver's words when the resource does not support the label
     */
    public String convert(String label) {
        String field = conversions.get(label);
        if (field == null) {
            throw ApiException.badRequest(
                    ownWording
                            ? "field label not supported: " + label
                            : "\"" + label
                                    + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        }
        return field;
    }

    /** The value of a selectable field on an object; empty when the resource's field set has no such field. */
    public String value(JsonNode object, String field) {
        Function<JsonNode, String> value = values.get(field);
        return value == null ? "" : value.apply(object);
    }

    /** The labels a request may use, for error messages and tests. */
    public List<String> labels() {
        return List.copyOf(conversions.keySet());
    }

    /** The text at a dotted path ({@code spec.nodeName}); empty when absent or not a scalar. */
    public static String text(JsonNode object, String dottedPath) {
        JsonNode node = object;
        for (String segment : dottedPath.split("\\.")) {
            node = node.path(segment);
        }
        return node.isValueNode() ? node.asText() : "";
    }

    /** The text at a dotted path, or {@code fallback} when it is empty (a default kube-apiserver would have set). */
    static String textOr(JsonNode object, String dottedPath, String fallback) {
        String value = text(object, dottedPath);
        return value.isEmpty() ? fallback : value;
    }
}
