package io.maroonedpods.manifests.rbac;

/**
 * One atomic permission: a verb on a resource, cluster-wide ({@code namespace} null) or in one namespace, for any
 * object ({@code resourceName} null) or one named object. Roles expand into sets of these so they compare exactly.
 */
public record Grant(String namespace, String apiGroup, String resource, String verb, String resourceName) {

    @Override
    public String toString() {
        return (namespace == null ? "cluster" : "ns/" + namespace) + " " + (apiGroup.isEmpty() ? "core" : apiGroup)
                + " " + resource + " " + verb + (resourceName == null ? "" : " name=" + resourceName);
    }
}
