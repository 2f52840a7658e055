package io.maroonedpods.testcluster.store;

/**
 * Sees every change the simulated API server stores, as the store makes it: under the resource's lock, so each
 * object's changes arrive in their order, and before any watcher or client hears of it, so nothing a component does
 * in answer to a change is seen before the change itself. It must be quick and must not call the store.
 */
@FunctionalInterface
public interface StoreObserver {
    /**
     * @param at     the resource written to (its plural says which: pods, nodes, virtualmachineinstances, ...)
     * @param change ADDED, MODIFIED (a binding, a status write, a deletion marked while finalizers remain) or DELETED
     *               (the object is gone), with the object as stored: to read, never to change
     */
    void stored(ResourcePath at, WatchEvent change);
}
