package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;

/** Facts about a pod's life that decide whether its VM is still needed. */
public final class PodFacts {
    private PodFacts() {
    }

    /** Succeeded or Failed: its containers will never run again, so neither will it need its node. */
    public static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Finished, or deleted and waiting for its containers to stop. */
    public static boolean done(Pod pod) {
        return finished(pod) || pod.getMetadata().getDeletionTimestamp() != null;
    }
}
