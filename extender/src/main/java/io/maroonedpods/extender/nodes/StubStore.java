package io.maroonedpods.extender.nodes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer store that hands each full object to a callback (which keeps the few facts the extender needs) and
 * itself keeps only a stub: name, namespace, resourceVersion and one label. The informer uses its store for keys,
 * versions and deletions; nothing else of ours reads it. A real Node is 3-15 KB of JSON (managedFields, images...)
 * and a verified node sits in two of our informers; a VMI carries its whole spec: kept whole, 10,000 cached
 * dedicated nodes would not fit the memory budget.
 */
final class StubStore<T extends HasMetadata> implements ItemStore<T> {

    /** What is kept of an object; {@code label} is the value of the one label removal needs (or null). */
    record Stub(String name, String namespace, String resourceVersion, String label) {}

    private final Map<String, Stub> stubs = new ConcurrentHashMap<>();
    private final String keptLabel;
    private final Function<ObjectMeta, T> rebuild;
    private final Consumer<T> added;
    private final Consumer<T> removed;

    /**
     * @param keptLabel the label whose value a removed stub must still carry (null: none)
     * @param rebuild   makes an object of the right type around the stub's metadata
     * @param added     called with the full object on every add or update
     * @param removed   called with the rebuilt stub of a removed object
     */
    StubStore(String keptLabel, Function<ObjectMeta, T> rebuild, Consumer<T> added, Consumer<T> removed) {
        this.keptLabel = keptLabel;
        this.rebuild = rebuild;
        this.added = added;
        this.removed = removed;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        added.accept(obj);
        ObjectMeta meta = obj.getMetadata();
        String label = keptLabel == null || meta.getLabels() == null
                ? null
                : meta.getLabels().get(keptLabel);
        return toObject(
                stubs.put(key, new Stub(meta.getName(), meta.getNamespace(), meta.getResourceVersion(), label)));
    }

    @Override
    public T remove(String key) {
        T stub = toObject(stubs.remove(key));
        if (stub != null) {
            removed.accept(stub);
        }
        return stub;
    }

    @Override
    public Stream<String> keySet() {
        return stubs.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return stubs.values().stream().map(this::toObject);
    }

    @Override
    public int size() {
        return stubs.size();
    }

    @Override
    public T get(String key) {
        return toObject(stubs.get(key));
    }

    private T toObject(Stub stub) {
        if (stub == null) {
            return null;
        }
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(stub.name())
                .withNamespace(stub.namespace())
                .withResourceVersion(stub.resourceVersion());
        if (stub.label() != null) {
            meta.addToLabels(keptLabel, stub.label());
        }
        return rebuild.apply(meta.build());
    }
}
