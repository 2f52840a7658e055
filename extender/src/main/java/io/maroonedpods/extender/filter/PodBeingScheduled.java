package io.maroonedpods.extender.filter;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.OptIn;

/**
 * What the decisions need to know about the pod being scheduled.
 *
 * @param uid       metadata.uid (null on hostile input: then no node can be the pod's own)
 * @param namespace metadata.namespace
 * @param name      metadata.name
 * @param maroon    the pod opted in (scheduler name or label)
 * @param daemonSet the pod is controlled by a DaemonSet
 */
public record PodBeingScheduled(String uid, String namespace, String name, boolean maroon, boolean daemonSet) {

    /**
     * @param schedulerName the configured scheduler name; a pod naming it opts in as well as one naming the default
     */
    public static PodBeingScheduled of(Pod pod, String schedulerName) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        boolean maroon = OptIn.isMaroon(pod, schedulerName);
        boolean daemonSet = meta.getOwnerReferences() != null
                && meta.getOwnerReferences().stream().anyMatch(PodBeingScheduled::isDaemonSetController);
        return new PodBeingScheduled(meta.getUid(), meta.getNamespace(), meta.getName(), maroon, daemonSet);
    }

    private static boolean isDaemonSetController(OwnerReference owner) {
        return "DaemonSet".equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController());
    }

    public String ref() {
        return namespace + "/" + name;
    }
}
