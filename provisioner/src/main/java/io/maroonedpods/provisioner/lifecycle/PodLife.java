package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where a pod is in its life (finished, being deleted, bound to a maroon node): what decides whether its VM is still
 * needed. Pure.
 */
public final class PodLife {
    private PodLife() {}

    /** Succeeded or Failed: its containers will never run again, so neither will it need its node. */
    public static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Bound to a dedicated (or claimed warm-pool) node, whatever its phase. */
    public static boolean boundToAMaroonNode(Pod pod) {
        return Names.isMaroonNodeName(pod.getSpec().getNodeName());
    }

    /** Finished, or deleted and waiting for its containers to stop. */
    public static boolean done(Pod pod) {
        return finished(pod) || pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Beyond the pod's deletion deadline, how long a kubelet gets to report the containers stopped. */
    static final Duration KUBELET_SLACK = Duration.ofSeconds(30);

    /**
     * How long to leave the VM of a pod that is being deleted: a pod running on its node gets its graceful
     * termination (the kubelet inside the VM must be alive for it) until its deletion deadline plus some slack; the
     * delete event usually comes first. Anything else: zero, tear down now.
     */
    public static Duration gracefulWait(Pod pod, String ownNode, Instant now) {
        String deadline = pod.getMetadata().getDeletionTimestamp();
        if (deadline == null || finished(pod) || !ownNode.equals(pod.getSpec().getNodeName())) {
            return Duration.ZERO;
        }
        try {
            Duration left = Duration.between(now, Instant.parse(deadline).plus(KUBELET_SLACK));
            return left.isNegative() ? Duration.ZERO : left;
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }
}
