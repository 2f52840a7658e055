package io.maroonedpods.testcluster.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulated API server serves, in one place: the {@link BuiltinResources} and the resources of the
 * CustomResourceDefinitions created in it (served while their CRD exists). A request for anything else is refused as
 * kube-apiserver refuses it, 404 {@code the server could not find the requested resource}, before anything is stored;
 * discovery lists exactly this. Thread-safe: CRDs come and go while requests are served.
 */
public final class ServedResources {
    public static final String NOT_FOUND = "the server could not find the requested resource";

    /** A subresource and the verbs it serves ({@code status}: get, patch, update). */
    public record Subresource(String name, String kind, List<String> verbs) {
        static Subresource status(String kind) {
            return new Subresource("status", kind, List.of("get", "patch", "update"));
        }
    }

    /**
     * One served group/version/resource.
     *
     * @param storageVersion the version whose objects every served version of the resource reads and writes (a CRD's
     *                       storage version; the one version of a built-in)
     */
    public record Resource(
            String group,
            String version,
            String plural,
            String kind,
            boolean namespaced,
            List<String> shortNames,
            List<Subresource> subresources,
            List<String> verbs,
            SelectableFields fields,
            String storageVersion) {
        public static final List<String> ALL_VERBS =
                List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

        public String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** Where the store keeps the objects: one table per resource, whichever served version a request names. */
        public String storageKey() {
            return group + "/" + storageVersion + "/" + plural;
        }

        public boolean hasStatusSubresource() {
            return subresource("status").isPresent();
        }

        public Optional<Subresource> subresource(String name) {
            return subresources.stream().filter(s -> s.name().equals(name)).findFirst();
        }
    }

    private final Map<String, Resource> builtIn = new LinkedHashMap<>();
    /** CRD name → the resources it serves (one per served version). */
    private final Map<String, List<Resource>> custom = new ConcurrentHashMap<>();

    private ServedResources() {
        BuiltinResources.all().forEach(r -> builtIn.put(key(r.group(), r.version(), r.plural()), r));
    }

    /** The built-in resources; custom ones are added as their CRDs are created. */
    public static ServedResources builtIns() {
        return new ServedResources();
    }

    /** Every served resource, built-ins first. */
    public List<Resource> all() {
        List<Resource> all = new ArrayList<>(builtIn.values());
        custom.values().forEach(all::addAll);
        return all;
    }

    public Optional<Resource> find(String group, String version, String plural) {
        String key = key(group, version, plural);
        Resource resource = builtIn.get(key);
        if (resource != null) {
            return Optional.of(resource);
        }
        for (List<Resource> resources : custom.values()) {
            for (Resource r : resources) {
                if (r.group().equals(group)
                        && r.version().equals(version)
                        && r.plural().equals(plural)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The resource a request addresses, refused as kube-apiserver refuses it: 404 for a resource that is not served,
     * a namespaced path to a cluster-scoped resource, a subresource the resource does not have, or one object of a
     * namespaced resource without its namespace; 405 for a verb the resource or subresource does not serve (creating,
     * changing or deleting a namespaced resource needs its namespace: across namespaces there is only list and watch).
     */
    public Resource resolve(ResourcePath at, String method, boolean watch) {
        Resource resource = find(at.group(), at.version(), at.plural())
                .orElseThrow(() -> new ApiException(404, "NotFound", NOT_FOUND));
        if (!resource.namespaced() && at.namespace() != null
                || resource.namespaced() && at.namespace() == null && at.name() != null) {
            throw new ApiException(404, "NotFound", NOT_FOUND);
        }
        List<String> verbs = resource.verbs();
        if (at.subresource() != null) {
            verbs = resource.subresource(at.subresource())
                    .map(Subresource::verbs)
                    .orElseThrow(() -> new ApiException(404, "NotFound", NOT_FOUND));
        } else if (resource.namespaced() && at.namespace() == null) {
            verbs = List.of("list", "watch");
        }
        if (!verbs.contains(verb(method, at.name() != null, watch))) {
            throw new ApiException(
                    405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
        return resource;
    }

    /** The resource, as {@link #resolve} finds it, for the store: 404 when it is not (or no longer) served. */
    Resource require(ResourcePath at) {
        return find(at.group(), at.version(), at.plural())
                .orElseThrow(() -> new ApiException(404, "NotFound", NOT_FOUND));
    }

    /** Serves what a created or changed CRD defines, instead of what it defined before. */
    void define(String crdName, List<Resource> resources) {
        custom.put(crdName, List.copyOf(resources));
    }

    /** Stops serving what a deleted CRD defined; returns it. */
    List<Resource> forget(String crdName) {
        List<Resource> removed = custom.remove(crdName);
        return removed == null ? List.of() : removed;
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String key(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }
}
