package io.maroonedpods.testcluster.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The objects of one resource (keyed {@code namespace/name}, so one namespace is one key range), its recent
 * events and its open watches, all guarded by its lock. Every method expects the caller to hold the lock.
 *
 * <p>Pods are also indexed by {@code spec.nodeName}, as kube-apiserver's watch cache indexes them: listing the pods
 * of one node (what kubelets and the isolation guard ask) looks at that node's pods only, not at every pod.
 */
final class ResourceTable {
    static final String NODE_NAME_FIELD = "spec.nodeName";

    final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, Stored> objects = new TreeMap<>();
    /** Node name → its objects by key, when this table keeps the index (pods); null otherwise. */
    private final Map<String, TreeMap<String, Stored>> byNodeName;

    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final List<StoreWatch> watches = new ArrayList<>();
    private final int historyLimit;
    /** The newest resourceVersion no longer in the history: a watch must start at or after it. */
    private long compactedThrough;

    ResourceTable(int historyLimit, boolean indexNodeName) {
        this.historyLimit = historyLimit;
        this.byNodeName = indexNodeName ? new HashMap<>() : null;
    }

    Stored get(String key) {
        return objects.get(key);
    }

    /**
     * The objects of one namespace (null: all), in key order, starting after {@code afterKey} (null: from the start);
     * only those on {@code nodeName} when it is given and this table keeps the index (then the caller's field
     * selector still checks every object; the index only spares looking at the others).
     */
    NavigableMap<String, Stored> range(String namespace, String afterKey, String nodeName) {
        NavigableMap<String, Stored> all =
                byNodeName == null || nodeName == null ? objects : byNodeName.getOrDefault(nodeName, EMPTY);
        NavigableMap<String, Stored> range = namespace == null
                ? all
                : all.subMap(namespace + "/", true, namespace + "0", false); // '0' sorts right after '/'
        return afterKey == null ? range : range.tailMap(afterKey, false);
    }

    private static final TreeMap<String, Stored> EMPTY = new TreeMap<>();

    private void index(String key, Stored before, Stored after) {
        if (byNodeName == null) {
            return;
        }
        if (before != null) {
            String node = SelectableFields.text(before.object(), NODE_NAME_FIELD);
            TreeMap<String, Stored> onNode = byNodeName.get(node);
            if (onNode != null && onNode.remove(key) != null && onNode.isEmpty()) {
                byNodeName.remove(node);
            }
        }
        if (after != null) {
            byNodeName
                    .computeIfAbsent(SelectableFields.text(after.object(), NODE_NAME_FIELD), n -> new TreeMap<>())
                    .put(key, after);
        }
    }

    /**
     * Records a change and queues it for the watches; returns the watches that got something to send, the inline ones
     * first ({@link WatchSink#inline}).
     */
    List<StoreWatch> record(WatchEvent event) {
        String key = ResourcePath.key(
                event.object().namespace().isEmpty() ? null : event.object().namespace(),
                event.object().name());
        Stored before;
        if (event.type().equals("DELETED")) {
            before = objects.remove(key);
            index(key, before, null);
        } else {
            before = objects.put(key, event.object());
            index(key, before, event.object());
        }
        history.addLast(event);
        while (history.size() > historyLimit) {
            compactedThrough = history.removeFirst().resourceVersion();
        }
        List<StoreWatch> touched = new ArrayList<>();
        StoreWatch.Texts texts = new StoreWatch.Texts(event.object());
        for (StoreWatch watch : watches) {
            if (watch.offer(event, texts)) {
                touched.add(watch);
            }
        }
        touched.sort(StoreWatch.INLINE_FIRST);
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
            watch.offerLast(
                    StoreWatch.expired("too old resource version: " + resourceVersion + " (" + compactedThrough + ")"));
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
