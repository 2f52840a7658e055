package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import java.util.List;
import java.util.Map;

/**
 * Who may be on a dedicated node ({@code maroon-*}): its own pod, the node's static pods, and pods of DaemonSets the
 * operator allowed by namespace and name (none by default). Everyone else — a pod with a wildcard toleration, a pod
 * bound by hand, another DaemonSet, one created before the admission policies — is a stranger, whatever its phase:
 * a finished stranger has run there, a terminating one may still run for as long as its grace period. Pure.
 */
public final class Isolation {
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    private Isolation() {}

    /** How a pod on a dedicated node stands. */
    public enum Standing {
        /** The pod the node exists for. */
        OWNER,
        /** A static pod of the node itself, or a pod of an allowed DaemonSet. */
        ALLOWED,
        /** Anyone else: removed. */
        STRANGER
    }

    /**
     * @param ownerUid the UID of the node's own pod, or null when the node belongs to no pod (an unclaimed warm-pool
     *                 node, a {@code maroon-*} name that is none of ours): then only allowed pods may be there
     */
    public static Standing standing(Pod pod, String ownerUid, List<String> allowedDaemonSets) {
        if (ownerUid != null && ownerUid.equals(pod.getMetadata().getUid())) {
            return Standing.OWNER;
        }
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(MIRROR_POD_ANNOTATION)) {
            // Only the node's own kubelet can create it (NodeRestriction), from a file inside the VM; the admission
            // policy refuses it anyway. Deleting a mirror pod would not stop its containers: the kubelet recreates it.
            return Standing.ALLOWED;
        }
        String daemonSet = daemonSetOf(pod);
        return daemonSet != null && allowed(pod.getMetadata().getNamespace() + "/" + daemonSet, allowedDaemonSets)
                ? Standing.ALLOWED
                : Standing.STRANGER;
    }

    /** Whether the pod is on a dedicated node at all: bound to a node named {@code maroon-*}. */
    public static boolean onDedicatedNode(Pod pod) {
        return pod.getSpec() != null && Names.isMaroonNodeName(pod.getSpec().getNodeName());
    }

    /**
     * Whether a stranger still needs removing: not once it has been deleted with grace period 0. Such a pod is gone
     * from the API at once, unless a finalizer holds it; its kubelet stops its containers without waiting, and the
     * finalizer's owner removes the object.
     */
    public static boolean awaitsRemoval(Pod stranger) {
        Long grace = stranger.getMetadata().getDeletionGracePeriodSeconds();
        return stranger.getMetadata().getDeletionTimestamp() == null || grace == null || grace > 0;
    }

    /** Patterns are {@code namespace/name} or {@code namespace/*}. */
    static boolean allowed(String namespacedName, List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.equals(namespacedName)
                    || pattern.endsWith("/*")
                            && namespacedName.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static String daemonSetOf(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners == null) {
            return null;
        }
        return owners.stream()
                .filter(o -> "DaemonSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .map(OwnerReference::getName)
                .findFirst()
                .orElse(null);
    }
}
