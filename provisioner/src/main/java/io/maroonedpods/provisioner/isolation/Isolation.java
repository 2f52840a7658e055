package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Who may run on a dedicated node: its own pod, and pods of DaemonSets the operator allowed (a CNI or CSI node plugin
 * the node cannot work without). Everyone else — a pod with a wildcard toleration, a pod bound by hand, another
 * DaemonSet — breaks the isolation the node exists for. Pure.
 */
public final class Isolation {
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    private Isolation() {
    }

    /** The pods on a dedicated node that must go. */
    public static List<Pod> intruders(List<Pod> podsOnNode, String ownerUid, List<String> allowedDaemonSets) {
        return podsOnNode.stream().filter(pod -> isIntruder(pod, ownerUid, allowedDaemonSets)).toList();
    }

    static boolean isIntruder(Pod pod, String ownerUid, List<String> allowedDaemonSets) {
        if (ownerUid.equals(pod.getMetadata().getUid()) || pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(MIRROR_POD_ANNOTATION)) {
            return false; // a static pod of the node itself: the API cannot evict it, and our image ships none
        }
        String daemonSet = daemonSetOf(pod);
        return daemonSet == null || !allowed(pod.getMetadata().getNamespace() + "/" + daemonSet, allowedDaemonSets);
    }

    /** Patterns are {@code namespace/name} or {@code namespace/*}. */
    static boolean allowed(String namespacedName, List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.equals(namespacedName) || pattern.endsWith("/*")
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
        return owners.stream().filter(o -> "DaemonSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .map(OwnerReference::getName).findFirst().orElse(null);
    }
}
