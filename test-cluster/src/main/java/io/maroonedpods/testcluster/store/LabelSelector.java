package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector as it travels in {@code ?labelSelector=}: {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x,y)}, {@code a} (exists) and {@code !a} (does not exist), comma-separated and
 * all required. Pure.
 */
public record LabelSelector(List<Requirement> requirements) {

    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST
    }

    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode value = labels.get(key);
            boolean present = value != null && !value.isNull();
            String text = present ? value.asText() : null;
            return switch (operator) {
                case EQUALS, IN -> present && values.contains(text);
                // As in k8s.io/apimachinery: a missing label satisfies != and notin.
                case NOT_EQUALS, NOT_IN -> !present || !values.contains(text);
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
            };
        }
    }

    private static final Pattern SET = Pattern.compile("^([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)$");

    /**
     * @throws ApiException 400 naming the requirement it cannot read
     */
    public static LabelSelector parse(String text) {
        List<Requirement> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : split(text)) {
                requirements.add(requirement(part.strip()));
            }
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Whether the object's {@code metadata.labels} satisfy every requirement. */
    public boolean matches(JsonNode object) {
        if (requirements.isEmpty()) {
            return true;
        }
        JsonNode labels = object.path("metadata").path("labels");
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Splits on the commas that separate requirements, not those inside {@code in (a,b)}. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String part) {
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = Set.of(set.group(3).split("\\s*,\\s*"));
            return new Requirement(
                    set.group(1),
                    set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
                    Set.copyOf(values.stream().map(String::strip).toList()));
        }
        int notEqual = part.indexOf("!=");
        if (notEqual > 0) {
            return new Requirement(
                    key(part.substring(0, notEqual), part),
                    Operator.NOT_EQUALS,
                    Set.of(part.substring(notEqual + 2).strip()));
        }
        int doubleEqual = part.indexOf("==");
        if (doubleEqual > 0) {
            return new Requirement(
                    key(part.substring(0, doubleEqual), part),
                    Operator.EQUALS,
                    Set.of(part.substring(doubleEqual + 2).strip()));
        }
        int equal = part.indexOf('=');
        if (equal > 0) {
            return new Requirement(
                    key(part.substring(0, equal), part),
                    Operator.EQUALS,
                    Set.of(part.substring(equal + 1).strip()));
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1), part), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(key(part, part), Operator.EXISTS, Set.of());
    }

    private static String key(String candidate, String part) {
        String key = candidate.strip();
        if (key.isEmpty() || !key.matches("[A-Za-z0-9._/-]+")) {
            throw ApiException.badRequest("unable to parse requirement: invalid label selector '" + part + "'");
        }
        return key;
    }
}
