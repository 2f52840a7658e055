package io.maroonedpods.kubevirt.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * KubeVirt's real VirtualMachineInstance CRD (its {@code v1} openAPIV3Schema, generated from KubeVirt's Go types),
 * checked the way the API server applies a structural schema: a field the schema does not know is pruned silently
 * (so a VMI we build must not rely on one), a value of the wrong type, a missing required field or a value outside
 * an enum is refused. Validation rules beyond that (CEL, formats, webhooks) are not checked.
 *
 * <p>The CRD is not copied into the repository: it is looked up at {@value #ENV} (a file), else in the e2e suite's
 * assets directory {@value #ASSETS_ENV}, else at {@code shared/k8s/crds/virtualmachineinstances.kubevirt.io.yaml} in
 * a directory above the working directory, where the project's machine keeps it; tests skip with one line when none
 * exists.
 */
public final class VmiSchema {
    public static final String ENV = "MAROONEDPODS_KUBEVIRT_VMI_CRD";
    public static final String ASSETS_ENV = "MAROONEDPODS_K8S_ASSETS";
    static final String FILE = "virtualmachineinstances.kubevirt.io.yaml";
    static final Path RELATIVE = Path.of("shared", "k8s", "crds", FILE);

    private final JsonNode schema;
    private final Path source;

    private VmiSchema(JsonNode schema, Path source) {
        this.schema = schema;
        this.source = source;
    }

    /** The schema, or empty when the CRD file is nowhere to be found. */
    public static Optional<VmiSchema> load() {
        return locate().map(VmiSchema::read);
    }

    /** The message a test skips with when {@link #load()} found nothing. */
    public static String whereToPutIt() {
        return "KubeVirt's VMI CRD not found: set " + ENV + " to " + FILE + ", or " + ASSETS_ENV + " to a directory"
                + " holding it, or put it at <a parent directory>/" + RELATIVE + "; the schema check is skipped";
    }

    public Path source() {
        return source;
    }

    /** Every problem of {@code vmi} (any object that serializes to VMI JSON), each with its JSON path; empty: valid. */
    public List<String> problems(Object vmi) {
        JsonNode json = Serialization.jsonMapper().valueToTree(vmi);
        List<String> problems = new ArrayList<>();
        check(json, schema, "", problems);
        return problems;
    }

    private static Optional<Path> locate() {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
        }
        String assets = System.getenv(ASSETS_ENV);
        if (assets != null && !assets.isBlank() && Files.isRegularFile(Path.of(assets, FILE))) {
            return Optional.of(Path.of(assets, FILE));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static VmiSchema read(Path file) {
        try {
            CustomResourceDefinition crd =
                    Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            CustomResourceDefinitionVersion v1 = crd.getSpec().getVersions().stream()
                    .filter(v -> "v1".equals(v.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(file + " has no v1 version"));
            return new VmiSchema(
                    Serialization.jsonMapper().valueToTree(v1.getSchema().getOpenAPIV3Schema()), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at(path) + ": null is not allowed");
            }
            return;
        }
        if (!hasType(value, schema)) {
            problems.add(at(path) + ": must be " + expected(schema) + ", got "
                    + value.getNodeType().name().toLowerCase());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(at(path) + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            checkObject(value, schema, path, problems);
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(at(path + "." + required.asText()) + ": required field missing");
            }
        }
        if (path.equals(".metadata")
                || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return; // ObjectMeta is validated by the API server itself; preserved fields are free-form
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), fieldPath, problems);
            } else if (additional.isObject()) {
                check(field.getValue(), additional, fieldPath, problems);
            } else if (!additional.asBoolean(false)) {
                problems.add(at(fieldPath) + ": unknown field: the API server would drop it");
            }
        }
    }

    private static boolean hasType(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static String expected(JsonNode schema) {
        return schema.path("x-kubernetes-int-or-string").asBoolean(false)
                ? "an integer or a string"
                : "of type " + schema.path("type").asText();
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        return Stream.iterate(0, i -> i < values.size(), i -> i + 1)
                .anyMatch(i -> values.get(i).equals(value));
    }

    private static String at(String path) {
        return path.isEmpty() ? "(root)" : path.substring(1);
    }
}
