package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every pod bound to a {@code maroon-*} node, as it is bound or changes: an informer over the bound pods of the cluster
 * whose cache keeps only those on {@code maroon-*} nodes. A stranger is seen the moment its Binding (or its creation
 * with a node name) is written, before any Node of that name need exist. The API server filters out pending pods; the
 * prefix is checked here, as no field selector can. What this costs: the changes of every bound pod of the cluster
 * are decoded once (and dropped unless on a dedicated node); memory holds only the dedicated nodes' pods, and the
 * first list is read in pages.
 */
final class StrangerWatch implements AutoCloseable {
    private static final long PAGE = 500;
    private final SharedIndexInformer<Pod> informer;

    private StrangerWatch(SharedIndexInformer<Pod> informer) {
        this.informer = informer;
    }

    /** Starts watching; {@code changed} is called on the informer's thread for each add or update on a dedicated node. */
    static StrangerWatch start(FilterWatchListDeletable<Pod, PodList, PodResource> boundPods, Consumer<Pod> changed) {
        SharedIndexInformer<Pod> informer = boundPods.withLimit(PAGE).runnableInformer(0);
        informer.removeNamespaceIndex();
        informer.itemStore(new OnDedicatedNodes());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (Isolation.onDedicatedNode(pod)) {
                    changed.accept(pod);
                }
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                onAdd(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {}
        });
        informer.start();
        return new StrangerWatch(informer);
    }

    /** The pods on dedicated nodes as last seen. */
    List<Pod> pods() {
        return informer.getStore().list();
    }

    /** The pod as last seen, or null once it is gone. */
    Pod current(String namespace, String name) {
        return informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    boolean watching() {
        return informer.isWatching();
    }

    @Override
    public void close() {
        informer.close();
    }

    /**
     * The informer's cache, holding only pods on dedicated nodes. A pod anywhere else is not stored: the informer
     * then reports each of its changes as an add, which the handler drops. A pod's node never changes once bound.
     */
    private static final class OnDedicatedNodes extends BasicItemStore<Pod> {
        OnDedicatedNodes() {
            super(Cache::metaNamespaceKeyFunc);
        }

        @Override
        public Pod put(String key, Pod pod) {
            if (Isolation.onDedicatedNode(pod)) {
                return super.put(key, pod);
            }
            super.remove(key);
            return null;
        }
    }
}
