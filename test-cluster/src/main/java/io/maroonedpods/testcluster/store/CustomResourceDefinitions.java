package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import io.maroonedpods.testcluster.store.ServedResources.Subresource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What kube-apiserver's apiextensions part does with a CustomResourceDefinition, as pure functions: the validation a
 * create or update must pass (the parts that decide what gets served), the status its controllers give it at once
 * here (names accepted, established), and the resources it serves: one per served version, sharing the storage
 * version's objects, namespaced or not as its scope says, with a status subresource when that version declares one
 * and the field selectors custom resources support (metadata.name, metadata.namespace when namespaced, and the
 * version's {@code selectableFields}). Schemas are not evaluated: objects are stored as they are sent.
 */
public final class CustomResourceDefinitions {
    private CustomResourceDefinitions() {}

    public static boolean isCrd(ResourcePath at) {
        return BuiltinResources.CRD_GROUP.equals(at.group()) && BuiltinResources.CRDS.equals(at.plural());
    }

    /**
     * The CRD as stored on create or update: valid, with the conditions kube-apiserver's controllers set once its
     * names are accepted (NamesAccepted, Established) and its storedVersions.
     *
     * @throws ApiException 422 Invalid naming the field, in kube-apiserver's wording
     */
    public static ObjectNode admitted(ObjectNode crd, Instant now) {
        validate(crd);
        ObjectNode admitted = crd.deepCopy();
        ObjectNode status = admitted.putObject("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[] {"NamesAccepted", "Established"}) {
            conditions
                    .addObject()
                    .put("type", type)
                    .put("status", "True")
                    .put("lastTransitionTime", ObjectRules.timestamp(now))
                    .put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
                    .put(
                            "message",
                            type.equals("Established") ? "the initial names have been accepted" : "no conflicts found");
        }
        status.putArray("storedVersions").add(storageVersion(crd));
        return admitted;
    }

    /** The resources the CRD serves: one per version marked {@code served}. */
    public static List<Resource> served(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        JsonNode names = spec.path("names");
        boolean namespaced = "Namespaced".equals(spec.path("scope").asText());
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        String storage = storageVersion(crd);
        List<Resource> resources = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(false)) {
                continue;
            }
            String kind = names.path("kind").asText();
            List<Subresource> subresources =
                    version.path("subresources").has("status") ? List.of(Subresource.status(kind)) : List.of();
            resources.add(new Resource(
                    group,
                    version.path("name").asText(),
                    names.path("plural").asText(),
                    kind,
                    namespaced,
                    List.copyOf(shortNames),
                    subresources,
                    Resource.ALL_VERBS,
                    fields(version, namespaced),
                    storage));
        }
        return resources;
    }

    /** Custom resources' field label conversion: metadata.name, metadata.namespace when namespaced, selectableFields. */
    private static SelectableFields fields(JsonNode version, boolean namespaced) {
        SelectableFields fields = SelectableFields.metadata(namespaced, true);
        for (JsonNode selectable : version.path("selectableFields")) {
            String path = selectable.path("jsonPath").asText();
            String label = path.startsWith(".") ? path.substring(1) : path;
            fields = fields.with(label, object -> SelectableFields.text(object, label));
        }
        return fields;
    }

    private static String storageVersion(JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                return version.path("name").asText();
            }
        }
        return "";
    }

    /**
     * Checks a CRD as a create or update must pass.
     *
     * @throws ApiException 422 Invalid naming the field, in kube-apiserver's wording
     */
    public static void validate(JsonNode crd) {
        String name = crd.path("metadata").path("name").asText("");
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");
        String invalid = "CustomResourceDefinition.apiextensions.k8s.io \"" + name + "\" is invalid: ";
        if (group.isEmpty()) {
            throw ApiException.invalid(invalid + "spec.group: Required value");
        }
        if (!group.contains(".")) {
            throw ApiException.invalid(
                    invalid + "spec.group: Invalid value: \"" + group + "\": should be a domain with at least one dot");
        }
        if (plural.isEmpty()) {
            throw ApiException.invalid(invalid + "spec.names.plural: Required value");
        }
        if (spec.path("names").path("kind").asText("").isEmpty()) {
            throw ApiException.invalid(invalid + "spec.names.kind: Required value");
        }
        if (!name.equals(plural + "." + group)) {
            throw ApiException.invalid(invalid + "metadata.name: Invalid value: \"" + name
                    + "\": must be spec.names.plural+\".\"+spec.group");
        }
        String scope = spec.path("scope").asText("");
        if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
            throw ApiException.invalid(invalid + "spec.scope: Unsupported value: \"" + scope
                    + "\": supported values: \"Cluster\", \"Namespaced\"");
        }
        if (!spec.path("versions").isArray() || spec.path("versions").isEmpty()) {
            throw ApiException.invalid(invalid
                    + "spec.versions: Invalid value: null: must have exactly one version marked as storage version");
        }
        long storage = 0;
        for (JsonNode version : spec.path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                storage++;
            }
        }
        if (storage != 1) {
            throw ApiException.invalid(invalid + "spec.versions: Invalid value: "
                    + spec.path("versions").size()
                    + " versions: must have exactly one version marked as storage version");
        }
    }
}
