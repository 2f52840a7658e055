package io.maroonedpods.testcluster.store;

/**
 * Where a request points in the API: {@code /api/v1/namespaces/a/pods/p/status} is resource {@code /v1/pods},
 * namespace {@code a}, name {@code p}, subresource {@code status}. A null namespace on a namespaced resource means all
 * namespaces; cluster-scoped resources (nodes, namespaces, MaroonedPodsConfigs) have none. Pure.
 */
public record ResourcePath(
        String group, String version, String plural, String namespace, String name, String subresource) {

    /** The path's resource, or null when the path is not a resource path (discovery, /version, /healthz). */
    public static ResourcePath parse(String path) {
        String[] s = trimmed(path).split("/");
        int rest;
        String group;
        if (s.length >= 3 && s[1].equals("api")) {
            group = "";
            rest = 3;
        } else if (s.length >= 4 && s[1].equals("apis")) {
            group = s[2];
            rest = 4;
        } else {
            return null;
        }
        String version = s[rest - 1];
        int n = s.length - rest;
        if (n <= 0) {
            return null;
        }
        boolean namespaced = s[rest].equals("namespaces")
                && n >= 3
                && !s[rest + 2].equals("status")
                && !s[rest + 2].equals("finalize");
        if (namespaced) {
            return new ResourcePath(group, version, s[rest + 2], s[rest + 1], at(s, rest + 3), at(s, rest + 4));
        }
        return new ResourcePath(group, version, s[rest], null, at(s, rest + 1), at(s, rest + 2));
    }

    private static String trimmed(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String at(String[] segments, int index) {
        return index < segments.length && !segments[index].isEmpty() ? segments[index] : null;
    }

    /** The key the store files this resource under: {@code group/version/plural}. */
    public String resource() {
        return group + "/" + version + "/" + plural;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public ResourcePath withName(String newName) {
        return new ResourcePath(group, version, plural, namespace, newName, null);
    }

    /** The same resource in another namespace (empty or null: no namespace, for cluster-scoped objects). */
    public ResourcePath inNamespace(String newNamespace) {
        return new ResourcePath(
                group,
                version,
                plural,
                newNamespace == null || newNamespace.isEmpty() ? null : newNamespace,
                name,
                subresource);
    }

    public ResourcePath withoutSubresource() {
        return new ResourcePath(group, version, plural, namespace, name, null);
    }

    public boolean isStatus() {
        return "status".equals(subresource);
    }

    /** The store's key of one object: {@code namespace/name}, an empty namespace for cluster-scoped objects. */
    public static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }
}
