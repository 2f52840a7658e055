package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What kube-apiserver's generic registry does to an object on create, update and delete, as pure functions (all but
 * the random suffix of a generated name): the store calls them under its lock with the stored object and the
 * request's, and stores what they return.
 */
public final class ObjectRules {
    private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private ObjectRules() {}

    /** What a DELETE does: remove the object now, or (finalizers pending) mark it as being deleted. */
    public sealed interface Deletion {}

    public record Remove() implements Deletion {}

    public record MarkDeleting(ObjectNode updated) implements Deletion {}

    /** Five characters from kube-apiserver's alphabet for generated names (no vowels, no look-alike digits). */
    public static String generatedNameSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(
                    NAME_SUFFIX_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(NAME_SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    /**
     * The object as created: name (or generateName + suffix), namespace from the path, a fresh uid and
     * creationTimestamp; the store sets resourceVersion.
     */
    public static ObjectNode created(ResourcePath at, ObjectNode body, String uid, Instant now, String nameSuffix) {
        ObjectNode object = body.deepCopy();
        ObjectNode metadata = object.withObjectProperty("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String prefix = metadata.path("generateName").asText("");
            if (prefix.isEmpty()) {
                throw ApiException.invalid("metadata.name: Required value: name or generateName is required");
            }
            name = prefix + nameSuffix;
            metadata.put("name", name);
        }
        String namespace = metadata.path("namespace").asText("");
        if (at.namespace() != null) {
            if (!namespace.isEmpty() && !namespace.equals(at.namespace())) {
                throw ApiException.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata.put("namespace", at.namespace());
        } else {
            metadata.remove("namespace");
        }
        metadata.put("uid", uid);
        metadata.put("creationTimestamp", timestamp(now));
        metadata.put("generation", 1);
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        metadata.remove("resourceVersion");
        if (!object.has("apiVersion")) {
            object.put("apiVersion", at.apiVersion());
        }
        return object;
    }

    /**
     * The object as updated by a PUT (or by a PATCH, with the patched object as body): a stale resourceVersion or
     * another object's uid is a 409; identity and lifecycle metadata stay the stored ones; through {@code /status} only the status changes,
     * through the main resource the status stays when the resource has a status subresource.
     *
     * @param statusSubresource whether the resource's status is written only through {@code /status} (pods, nodes,
     *                          namespaces, custom resources whose CRD declares it; not KubeVirt's VMIs)
     */
    public static ObjectNode updated(ResourcePath at, boolean statusSubresource, ObjectNode stored, ObjectNode body) {
        String name = stored.path("metadata").path("name").asText();
        String bodyName = body.path("metadata").path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest(
                    "the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
        // A uid in the body is a precondition, as on a real API server: the write was meant for that object only.
        String requiredUid = body.path("metadata").path("uid").asText("");
        String storedUid = stored.path("metadata").path("uid").asText();
        if (!requiredUid.isEmpty() && !requiredUid.equals(storedUid)) {
            throw ApiException.conflict(
                    at.plural(),
                    name,
                    "Precondition failed: UID in precondition: " + requiredUid + ", UID in object meta: " + storedUid);
        }
        String requiredVersion = body.path("metadata").path("resourceVersion").asText("");
        if (!requiredVersion.isEmpty()
                && !requiredVersion.equals(
                        stored.path("metadata").path("resourceVersion").asText())) {
            throw ApiException.staleResourceVersion(at.plural(), name);
        }
        ObjectNode result;
        if (at.isStatus()) {
            result = stored.deepCopy();
            copyField(body, result, "status");
        } else {
            result = body.deepCopy();
            if (statusSubresource) {
                copyField(stored, result, "status");
            }
            if (!result.has("apiVersion")) {
                copyField(stored, result, "apiVersion");
            }
            if (!result.has("kind")) {
                copyField(stored, result, "kind");
            }
        }
        ObjectNode metadata = result.withObjectProperty("metadata");
        JsonNode was = stored.path("metadata");
        for (String field : new String[] {
            "name",
            "namespace",
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "resourceVersion"
        }) {
            copyField(was, metadata, field);
        }
        long generation = was.path("generation").asLong(1);
        metadata.put(
                "generation",
                !at.isStatus() && !stored.path("spec").equals(result.path("spec")) ? generation + 1 : generation);
        return result;
    }

    /**
     * What a DELETE does, after its DeleteOptions preconditions (uid, resourceVersion) hold. Graceful termination is
     * not modelled (no kubelet confirms it): without finalizers the object goes at once, whatever gracePeriodSeconds.
     */
    public static Deletion deletion(String plural, ObjectNode stored, JsonNode options, Instant now) {
        String name = stored.path("metadata").path("name").asText();
        JsonNode preconditions = options == null ? null : options.path("preconditions");
        if (preconditions != null) {
            String uid = preconditions.path("uid").asText("");
            String storedUid = stored.path("metadata").path("uid").asText();
            if (!uid.isEmpty() && !uid.equals(storedUid)) {
                throw ApiException.conflict(
                        plural,
                        name,
                        "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + storedUid);
            }
            String version = preconditions.path("resourceVersion").asText("");
            String storedVersion =
                    stored.path("metadata").path("resourceVersion").asText();
            if (!version.isEmpty() && !version.equals(storedVersion)) {
                throw ApiException.conflict(
                        plural,
                        name,
                        "Precondition failed: ResourceVersion in precondition: " + version
                                + ", ResourceVersion in object meta: " + storedVersion);
            }
        }
        if (!hasFinalizers(stored)) {
            return new Remove();
        }
        ObjectNode updated = stored.deepCopy();
        ObjectNode metadata = updated.withObjectProperty("metadata");
        if (!metadata.has("deletionTimestamp")) {
            metadata.put("deletionTimestamp", timestamp(now));
            metadata.put(
                    "deletionGracePeriodSeconds",
                    options == null ? 0 : options.path("gracePeriodSeconds").asLong(0));
        }
        return new MarkDeleting(updated);
    }

    /** True when an object being deleted has no finalizers left, so the store removes it. */
    public static boolean finalized(JsonNode object) {
        return object.path("metadata").has("deletionTimestamp") && !hasFinalizers(object);
    }

    /** True when the two versions differ in anything but their resourceVersion: an update that changes nothing is no write. */
    public static boolean changes(ObjectNode stored, ObjectNode candidate) {
        ObjectNode a = stored.deepCopy();
        ObjectNode b = candidate.deepCopy();
        a.withObjectProperty("metadata").remove("resourceVersion");
        b.withObjectProperty("metadata").remove("resourceVersion");
        return !a.equals(b);
    }

    public static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static boolean hasFinalizers(JsonNode object) {
        JsonNode finalizers = object.path("metadata").path("finalizers");
        return finalizers.isArray() && !finalizers.isEmpty();
    }

    /** Sets {@code to}'s member to a copy of {@code from}'s, or removes it when {@code from} lacks it. */
    static void copyField(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value == null) {
            to.remove(field);
        } else {
            to.set(field, value.deepCopy());
        }
    }
}
