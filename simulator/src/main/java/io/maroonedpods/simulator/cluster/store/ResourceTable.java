package io.maroonedpods.simulator.cluster.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The objects of one resource (keyed {@code namespace/name}, so one namespace is one key range), its recent
 * events and its open watches, all guarded by its lock. Every method expects the caller to hold the lock.
 */
final class ResourceTable {
    final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, Stored> objects = new TreeMap<>();
    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final List<StoreWatch> watches = new ArrayList<>();
    private final int historyLimit;
    /** The newest resourceVersion no longer in the history: a watch must start at or after it. */
    private long compactedThrough;

    ResourceTable(int historyLimit) {
        this.historyLimit = historyLimit;
    }

    Stored get(String key) {
        return objects.get(key);
    }

    /** The objects of one namespace (null: all), in key order, starting after {@code afterKey} (null: from the start). */
    NavigableMap<String, Stored> range(String namespace, String afterKey) {
        NavigableMap<String, Stored> range = namespace == null ? objects
                : objects.subMap(namespace + "/", true, namespace + "0", false); // '0' sorts right after '/'
        return afterKey == null ? range : range.tailMap(afterKey, false);
    }

    /** Records a change and queues it for the watches; returns the watches that got something to send. */
    List<StoreWatch> record(WatchEvent event) {
        String key = ResourcePath.key(event.object().namespace().isEmpty() ? null : event.object().namespace(), event.object().name());
        if (event.type().equals("DELETED")) {
            objects.remove(key);
        } else {
            objects.put(key, event.object());
        }
        history.addLast(event);
        while (history.size() > historyLimit) {
            compactedThrough = history.removeFirst().resourceVersion();
        }
        List<StoreWatch> touched = new ArrayList<>();
        for (StoreWatch watch : watches) {
            if (watch.offer(event)) {
                touched.add(watch);
            }
        }
        return touched;
    }

    /**
     * Starts a watch: from {@code resourceVersion} (the events after it, or 410 when they are no longer all kept), or
     * with the current objects as ADDED when it is null.
     */
    void start(StoreWatch watch, Long resourceVersion) {
        if (resourceVersion == null) {
            for (Stored object : objects.values()) {
                watch.offer(new WatchEvent("ADDED", object, null));
            }
        } else if (resourceVersion < compactedThrough) {
            watch.offerLast(StoreWatch.expired("too old resource version: " + resourceVersion + " (" + compactedThrough + ")"));
            return;
        } else {
            for (WatchEvent event : history) {
                if (event.resourceVersion() > resourceVersion) {
                    watch.offer(event);
                }
            }
        }
        watches.add(watch);
    }

    void stop(StoreWatch watch) {
        watches.remove(watch);
    }

    List<StoreWatch> watches() {
        return List.copyOf(watches);
    }
}
