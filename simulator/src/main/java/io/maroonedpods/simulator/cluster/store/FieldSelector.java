package io.maroonedpods.simulator.cluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes field selector such as {@code spec.schedulerName=maroon-scheduler,spec.nodeName=}, evaluated against
 * an object's JSON. The CRUD mock only understands {@code metadata.name}/{@code metadata.namespace} (and no empty
 * values), so the simulated API server evaluates every field selector itself with this.
 */
public record FieldSelector(List<Requirement> requirements) {

    /** {@code field=value} ({@code equal}) or {@code field!=value}; a missing field reads as the empty string. */
    public record Requirement(String field, String value, boolean equal) {
        boolean matches(JsonNode object) {
            return valueAt(object, field).equals(value) == equal;
        }
    }

    /**
     * Parses the selector text; null or blank selects everything.
     *
     * @throws IllegalArgumentException naming the requirement that is not {@code a=b}, {@code a==b} or {@code a!=b}
     */
    public static FieldSelector parse(String text) {
        List<Requirement> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                requirements.add(requirement(part.strip()));
            }
        }
        return new FieldSelector(List.copyOf(requirements));
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** The value an equality requirement asks of this field, or null when none does. */
    public String equalTo(String field) {
        return requirements.stream().filter(r -> r.equal() && r.field().equals(field)).map(Requirement::value)
                .findFirst().orElse(null);
    }

    public boolean matches(JsonNode object) {
        return requirements.stream().allMatch(r -> r.matches(object));
    }

    private static Requirement requirement(String part) {
        int notEqual = part.indexOf("!=");
        if (notEqual > 0) {
            return new Requirement(part.substring(0, notEqual), part.substring(notEqual + 2), false);
        }
        int doubleEqual = part.indexOf("==");
        if (doubleEqual > 0) {
            return new Requirement(part.substring(0, doubleEqual), part.substring(doubleEqual + 2), true);
        }
        int equal = part.indexOf('=');
        if (equal > 0) {
            return new Requirement(part.substring(0, equal), part.substring(equal + 1), true);
        }
        throw new IllegalArgumentException("invalid field selector requirement '" + part
                + "': must be field=value, field==value or field!=value");
    }

    /** The text at a dotted path ({@code spec.nodeName}); empty when absent or not a scalar. */
    static String valueAt(JsonNode object, String dottedPath) {
        JsonNode node = object;
        for (String segment : dottedPath.split("\\.")) {
            node = node.path(segment);
        }
        return node.isValueNode() ? node.asText() : "";
    }
}
