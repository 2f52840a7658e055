package io.maroonedpods.testcluster.store;

/**
 * A change to one object, as the store records it for its watchers and its history: ADDED, MODIFIED or DELETED, the
 * new version (for DELETED the last one) and the version before (null for ADDED).
 */
public record WatchEvent(String type, Stored object, Stored previous) {

    public long resourceVersion() {
        return object.resourceVersion();
    }

    /** For a pod's change that binds it (no node before, one now): the node; else null. */
    public String boundNode() {
        String node = object.object().path("spec").path("nodeName").asText();
        boolean before = previous != null
                && !previous.object().path("spec").path("nodeName").asText().isEmpty();
        return "MODIFIED".equals(type) && !before && !node.isEmpty() ? node : null;
    }
}
