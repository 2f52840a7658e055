package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes field selector such as {@code spec.schedulerName=maroon-scheduler,spec.nodeName=}, for one resource:
 * parsed against the fields that resource supports (kube-apiserver refuses any other label with 400 BadRequest,
 * before listing or watching anything) and evaluated on the values kube-apiserver gives those fields.
 */
public record FieldSelector(List<Requirement> requirements, SelectableFields fields) {

    /** {@code field=value} ({@code equal}) or {@code field!=value}, on a selectable field of the resource. */
    public record Requirement(String field, String value, boolean equal) {}

    /**
     * Parses the selector text for a resource; null or blank selects everything.
     *
     * @throws ApiException 400 BadRequest naming a requirement that is not {@code a=b}, {@code a==b} or
     *                      {@code a!=b}, or a label the resource does not support, in kube-apiserver's words
     */
    public static FieldSelector parse(String text, SelectableFields fields) {
        List<Requirement> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                Requirement written = requirement(part.strip());
                requirements.add(new Requirement(fields.convert(written.field()), written.value(), written.equal()));
            }
        }
        return new FieldSelector(List.copyOf(requirements), fields);
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** The value an equality requirement asks of this selectable field, or null when none does. */
    public String equalTo(String field) {
        return requirements.stream()
                .filter(r -> r.equal() && r.field().equals(field))
                .map(Requirement::value)
                .findFirst()
                .orElse(null);
    }

    public boolean matches(JsonNode object) {
        for (Requirement r : requirements) {
            if (fields.value(object, r.field()).equals(r.value()) != r.equal()) {
                return false;
            }
        }
        return true;
    }

    /** This selector with one more requirement, on a field the resource always supports (metadata.name). */
    public FieldSelector and(String field, String value) {
        List<Requirement> more = new ArrayList<>(requirements);
        more.add(new Requirement(fields.convert(field), value, true));
        return new FieldSelector(List.copyOf(more), fields);
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
        throw ApiException.badRequest(
                "invalid field selector requirement '" + part + "': must be field=value, field==value or field!=value");
    }
}
