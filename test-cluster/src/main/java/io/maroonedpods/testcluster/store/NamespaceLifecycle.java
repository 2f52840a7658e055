package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * kube-apiserver's NamespaceLifecycle admission plugin (on by default), as pure functions: an object is created only in
 * a namespace that exists (404 {@code namespaces "x" not found}) and is not being deleted (403), and the namespaces
 * every cluster starts with that the plugin calls immortal may not be deleted (403). Namespace deletion itself is not
 * modelled beyond the store's generic rules: a namespace without finalizers goes at once (kube-apiserver's namespace
 * controller would first delete its content), one with finalizers stays, marked for deletion, and refuses creates.
 */
public final class NamespaceLifecycle {
    /** The namespaces a cluster has from the start, as kube-apiserver and its system controllers create them. */
    public static final List<String> INITIAL = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /** The plugin's immortal namespaces: kube-apiserver refuses to delete them. */
    static final List<String> IMMORTAL = List.of("default", "kube-system", "kube-public");

    private NamespaceLifecycle() {}

    /**
     * @param at        where the object is created
     * @param name      the object's name (for the 403's wording)
     * @param namespace the stored namespace {@code at} names, or null when there is none
     * @throws ApiException 404 when the namespace does not exist, 403 when it is being deleted
     */
    public static void admitCreate(ResourcePath at, String name, JsonNode namespace) {
        if (at.namespace() == null) {
            return;
        }
        if (namespace == null) {
            throw ApiException.notFound("namespaces", at.namespace());
        }
        if (namespace.path("metadata").has("deletionTimestamp")
                || "Terminating".equals(namespace.path("status").path("phase").asText())) {
            throw new ApiException(
                    403,
                    "Forbidden",
                    at.plural() + " \"" + name + "\" is forbidden: unable to create new content in namespace "
                            + at.namespace() + " because it is being terminated");
        }
    }

    /** @throws ApiException 403 when {@code at} is an immortal namespace */
    public static void admitDelete(ResourcePath at) {
        if (isNamespace(at) && IMMORTAL.contains(at.name())) {
            throw new ApiException(
                    403,
                    "Forbidden",
                    "namespaces \"" + at.name() + "\" is forbidden: this namespace may not be deleted");
        }
    }

    /** Where the namespace an object at {@code at} lives in is stored. */
    public static ResourcePath namespaceOf(ResourcePath at) {
        return new ResourcePath("", "v1", "namespaces", null, at.namespace(), null);
    }

    private static boolean isNamespace(ResourcePath at) {
        return at.group().isEmpty() && "namespaces".equals(at.plural());
    }
}
