package io.maroonedpods.testcluster.store;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open watch: which objects it selects, and the events on their way to its sink. The store offers events under
 * its lock (so they queue in resourceVersion order) and sends them after releasing it; one thread at a time drains
 * the queue, so the watcher sees the order they were queued in.
 */
public final class StoreWatch {
    /** The event that ends a watch whose starting resourceVersion is gone, or that the server drops on purpose. */
    public static String expired(String message) {
        return "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":"
                + Stored.JSON.getNodeFactory().textNode(message)
                + ",\"reason\":\"Expired\",\"code\":410}}";
    }

    private record Outgoing(String type, Texts texts, String text, boolean last) {}

    /**
     * One change's event text, rendered once for all the watches it is queued for (each may see it as a different
     * type): rendered per watch, the copies of the object's JSON were a tenth of the API server's time in a burst.
     */
    static final class Texts {
        private final Stored object;
        private final Map<String, String> byType = new ConcurrentHashMap<>(4);

        Texts(Stored object) {
            this.object = object;
        }

        String of(String type) {
            return byType.computeIfAbsent(
                    type,
                    t -> "{\"type\":\"" + t + "\",\"object\":" + new String(object.json(), StandardCharsets.UTF_8)
                            + "}");
        }
    }

    private final String namespace;
    private final String name;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final WatchSink sink;
    private final Queue<Outgoing> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ReentrantLock inlineDelivery = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Runnable onEnd = () -> {};

    /**
     * @param namespace the watched namespace, null for all namespaces (or a cluster-scoped resource)
     * @param name      the one watched object's name, or null
     */
    public StoreWatch(String namespace, String name, LabelSelector labels, FieldSelector fields, WatchSink sink) {
        this.namespace = namespace;
        this.name = name;
        this.labels = labels;
        this.fields = fields;
        this.sink = sink;
    }

    void onEnd(Runnable action) {
        this.onEnd = action;
    }

    /** Whether this watch covers the object's namespace and name (selectors aside). */
    boolean covers(Stored object) {
        return (namespace == null || namespace.equals(object.namespace()))
                && (name == null || name.equals(object.name()));
    }

    boolean selects(Stored object) {
        return labels.matches(object.object()) && fields.matches(object.object());
    }

    /**
     * Queues the event as this watcher sees it (an object entering its selection is ADDED, one leaving it DELETED);
     * returns whether anything was queued. Called under the store's lock.
     */
    boolean offer(WatchEvent event) {
        return offer(event, new Texts(event.object()));
    }

    /** The same, the event's text shared with the other watches it goes to. */
    boolean offer(WatchEvent event, Texts texts) {
        if (ended.get() || !covers(event.object())) {
            return false;
        }
        boolean matches = selects(event.object());
        boolean before = switch (event.type()) {
            case "DELETED" -> matches;
            case "MODIFIED" -> event.previous() != null && selects(event.previous());
            default -> false;
        };
        Optional<String> type = WatchVisibility.translate(event.type(), matches, before);
        type.ifPresent(t -> pending.add(new Outgoing(t, texts, null, false)));
        return type.isPresent();
    }

    /** Queues a last event (an ERROR) after which the watch ends. */
    void offerLast(String text) {
        pending.add(new Outgoing(null, null, text, true));
    }

    /** Ends the watch the way kube-apiserver ends one whose history was compacted: 410 Expired, then the close. */
    public void drop(String message) {
        offerLast(expired(message));
        drain();
    }

    public boolean isEnded() {
        return ended.get();
    }

    /** The client went away: stop sending. */
    public void closed() {
        if (ended.compareAndSet(false, true)) {
            pending.clear();
            onEnd.run();
        }
    }

    /** Inline watches first: see {@link WatchSink#inline}. */
    static final Comparator<StoreWatch> INLINE_FIRST = Comparator.comparing(watch -> !watch.sink.inline());

    /**
     * Sends what is queued, unless another thread is already doing it (it will send what this one queued too); for an
     * {@link WatchSink#inline} sink, returns only once what was queued is handed over, by this thread or that one.
     */
    public void drain() {
        if (sink.inline()) {
            inlineDelivery.lock();
            try {
                sendPending();
            } finally {
                inlineDelivery.unlock();
            }
            return;
        }
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                sendPending();
            } finally {
                draining.set(false);
            }
            if (ended.get()) {
                return;
            }
        }
    }

    private void sendPending() {
        Outgoing next;
        while (!ended.get() && (next = pending.poll()) != null) {
            String text = next.text() != null ? next.text() : next.texts().of(next.type());
            if (!sink.send(text)) {
                closed();
            } else if (next.last()) {
                closed();
                sink.close();
            }
        }
        if (ended.get()) {
            pending.clear();
        }
    }
}
