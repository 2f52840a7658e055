package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The simulated API server's storage: objects per resource and namespace, found by key (never by scanning other
 * resources), one resourceVersion counter like etcd's revision, and per resource a bounded history of events from
 * which watches start or resume. Each resource has its own lock, held only for map work: rendering JSON and writing
 * to watchers happen after it is released. It stores only what {@link ServedResources} serves: a CRD created here
 * starts serving its resources, and its deletion stops serving them and drops their objects.
 */
public final class ObjectStore {
    private final Clock clock;
    private final int historyLimit;
    private final ServedResources served;
    private final AtomicLong revision = new AtomicLong();
    private final Map<String, ResourceTable> tables = new ConcurrentHashMap<>();
    private final List<StoreObserver> observers = new CopyOnWriteArrayList<>();

    /**
     * @param historyLimit events kept per resource for watches that resume from a resourceVersion
     * @param served       what the store serves, changed as CRDs are written to it
     */
    public ObjectStore(Clock clock, int historyLimit, ServedResources served) {
        this.clock = clock;
        this.historyLimit = historyLimit;
        this.served = served;
    }

    /** Tells {@code observer} of every change from now on, as it is stored. */
    public void observe(StoreObserver observer) {
        observers.add(observer);
    }

    public ServedResources served() {
        return served;
    }

    /** The latest resourceVersion of the whole store. */
    public long revision() {
        return revision.get();
    }

    public Stored get(ResourcePath at) {
        ResourceTable table = table(at);
        table.lock.lock();
        try {
            Stored stored = table.get(ResourcePath.key(at.namespace(), at.name()));
            if (stored == null) {
                throw ApiException.notFound(at.plural(), at.name());
            }
            return stored;
        } finally {
            table.lock.unlock();
        }
    }

    public Stored create(ResourcePath at, ObjectNode body) {
        String suffix = ObjectRules.generatedNameSuffix();
        ObjectNode created = Admission.onCreate(
                at, ObjectRules.created(at, body, UUID.randomUUID().toString(), clock.instant(), suffix));
        if (CustomResourceDefinitions.isCrd(at)) {
            created = CustomResourceDefinitions.admitted(created, clock.instant());
        }
        ObjectNode admitted = created;
        String name = created.path("metadata").path("name").asText();
        return write(at, table -> {
            if (table.get(ResourcePath.key(at.namespace(), name)) != null) {
                throw ApiException.alreadyExists(at.plural(), name);
            }
            return new Change("ADDED", admitted, null);
        });
    }

    /** PUT: the object or (on {@code /status}) its status. */
    public Stored update(ResourcePath at, ObjectNode body) {
        return change(at, stored -> updated(at, stored.object(), body));
    }

    public Stored patch(ResourcePath at, String contentType, JsonNode patch) {
        return change(at, stored -> updated(at, stored.object(), Patches.apply(contentType, stored.object(), patch)));
    }

    private ObjectNode updated(ResourcePath at, ObjectNode stored, ObjectNode body) {
        ObjectNode updated = ObjectRules.updated(at, served.require(at).hasStatusSubresource(), stored, body);
        if (CustomResourceDefinitions.isCrd(at)) {
            CustomResourceDefinitions.validate(updated);
        }
        if ("/v1/pods".equals(at.resource()) && !at.isStatus()) {
            PodUpdates.check(stored, updated);
        }
        return updated;
    }

    /**
     * A read-check-write on one object that no other write can come between, like etcd's compare-and-swap: the
     * function gets the stored object (null when there is none) and returns the new one (a copy, never the stored
     * object changed in place), or throws to refuse.
     */
    public Stored compareAndSwap(ResourcePath at, Function<ObjectNode, ObjectNode> change) {
        return write(at, table -> {
            Stored stored = table.get(ResourcePath.key(at.namespace(), at.name()));
            ObjectNode next = change.apply(stored == null ? null : stored.object());
            return new Change("MODIFIED", next, stored);
        });
    }

    /**
     * DELETE with DeleteOptions (may be null): the removed object, or the object marked for deletion while finalizers
     * remain.
     */
    public Stored delete(ResourcePath at, JsonNode options) {
        return write(at, table -> {
            Stored stored = existing(table, at);
            return switch (ObjectRules.deletion(at.plural(), stored.object(), options, clock.instant())) {
                case ObjectRules.Remove remove ->
                    new Change("DELETED", stored.object().deepCopy(), stored);
                case ObjectRules.MarkDeleting mark -> new Change("MODIFIED", mark.updated(), stored);
            };
        });
    }

    /** One page of a list: the selected objects and the resourceVersion the list is consistent with. */
    public record Page(List<Stored> items, long resourceVersion, String continueKey) {}

    /**
     * @param limit    at most this many items (0: all); a full page gets a continue key
     * @param afterKey continue after this key (null: from the start)
     */
    public Page list(ResourcePath at, LabelSelector labels, FieldSelector fields, int limit, String afterKey) {
        ResourceTable table = table(at);
        List<Stored> items = new ArrayList<>();
        table.lock.lock();
        try {
            long version = revision.get();
            for (Stored stored : table.range(at.namespace(), afterKey, fields.equalTo(ResourceTable.NODE_NAME_FIELD))
                    .values()) {
                if (labels.matches(stored.object()) && fields.matches(stored.object())) {
                    if (limit > 0 && items.size() == limit) {
                        Stored last = items.getLast();
                        return new Page(
                                items,
                                version,
                                ResourcePath.key(
                                        at.namespace() == null ? emptyToNull(last.namespace()) : at.namespace(),
                                        last.name()));
                    }
                    items.add(stored);
                }
            }
            return new Page(items, version, null);
        } finally {
            table.lock.unlock();
        }
    }

    /**
     * Opens a watch on a resource: from {@code resourceVersion} when given (410 if it is too old), else with the
     * current objects as ADDED. The watch ends itself in the store when its client goes away.
     */
    public void watch(ResourcePath at, StoreWatch watch, Long resourceVersion) {
        ResourceTable table = table(at);
        watch.onEnd(() -> {
            table.lock.lock();
            try {
                table.stop(watch);
            } finally {
                table.lock.unlock();
            }
        });
        table.lock.lock();
        try {
            table.start(watch, resourceVersion);
            if (watch.isEnded()) {
                table.stop(watch);
            }
        } finally {
            table.lock.unlock();
        }
        watch.drain();
    }

    private record Change(String type, ObjectNode object, Stored previous) {}

    private Stored change(ResourcePath at, Function<Stored, ObjectNode> update) {
        return write(at, table -> {
            Stored stored = existing(table, at);
            ObjectNode next = update.apply(stored);
            if (!ObjectRules.changes(stored.object(), next)) {
                return null;
            }
            return new Change(ObjectRules.finalized(next) ? "DELETED" : "MODIFIED", next, stored);
        });
    }

    /**
     * Applies one change under the resource's lock (null: nothing to write) and tells the observers, then sends the
     * watchers their events.
     */
    private Stored write(ResourcePath at, Function<ResourceTable, Change> decide) {
        ResourceTable table = table(at);
        List<StoreWatch> touched;
        Stored result;
        String type;
        table.lock.lock();
        try {
            Change change = decide.apply(table);
            if (change == null) {
                return existing(table, at);
            }
            long version = revision.incrementAndGet();
            ObjectNode object = change.object();
            object.withObjectProperty("metadata").put("resourceVersion", Long.toString(version));
            result = new Stored(object, version);
            type = change.type();
            WatchEvent event = new WatchEvent(type, result, change.previous());
            touched = table.record(event);
            observers.forEach(observer -> observer.stored(at, event));
        } finally {
            table.lock.unlock();
        }
        touched.forEach(StoreWatch::drain);
        if (CustomResourceDefinitions.isCrd(at)) {
            servedAfter(type, result);
        }
        return result;
    }

    /**
     * A CRD's write changes what is served. Its deletion ends its resources as kube-apiserver does once the CRD is
     * gone: their objects are dropped and their watches end (410, so that informers relist and meet the 404).
     * Finalizers and the cleanup controller's one-by-one deletes are not modelled.
     */
    private void servedAfter(String type, Stored crd) {
        if (!type.equals("DELETED")) {
            served.define(crd.name(), CustomResourceDefinitions.served(crd.object()));
            return;
        }
        for (ServedResources.Resource gone : served.forget(crd.name())) {
            ResourceTable table = tables.remove(gone.storageKey());
            if (table != null) {
                List<StoreWatch> open;
                table.lock.lock();
                try {
                    open = table.watches();
                } finally {
                    table.lock.unlock();
                }
                open.forEach(watch -> watch.drop("the custom resource definition " + crd.name() + " was deleted"));
            }
        }
    }

    private static Stored existing(ResourceTable table, ResourcePath at) {
        Stored stored = table.get(ResourcePath.key(at.namespace(), at.name()));
        if (stored == null) {
            throw ApiException.notFound(at.plural(), at.name());
        }
        return stored;
    }

    /** The table of a served resource (whichever served version the path names), or 404. */
    private ResourceTable table(ResourcePath at) {
        ServedResources.Resource resource = served.require(at);
        return tables.computeIfAbsent(
                resource.storageKey(),
                r -> new ResourceTable(historyLimit, resource.group().isEmpty() && "pods".equals(resource.plural())));
    }

    /** Every open watch, of all resources. */
    public List<StoreWatch> watches() {
        List<StoreWatch> all = new ArrayList<>();
        tables.values().forEach(table -> {
            table.lock.lock();
            try {
                all.addAll(table.watches());
            } finally {
                table.lock.unlock();
            }
        });
        return all;
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
