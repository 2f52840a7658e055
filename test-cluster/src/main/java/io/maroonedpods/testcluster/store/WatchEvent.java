package io.maroonedpods.testcluster.store;

/**
 * A change to one object, as the store records it for its watchers and its history: ADDED, MODIFIED or DELETED, the
 * new version (for DELETED the last one) and the version before (null for ADDED).
 */
public record WatchEvent(String type, Stored object, Stored previous) {

    public long resourceVersion() {
        return object.resourceVersion();
    }
}
