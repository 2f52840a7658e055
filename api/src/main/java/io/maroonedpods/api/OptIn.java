package io.maroonedpods.api;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** The opt-in rule: a pod is a maroon pod when it names our scheduler or carries the opt-in label. */
public final class OptIn {
    private OptIn() {
    }

    public static boolean isMaroon(Pod pod) {
        if (pod == null) {
            return false;
        }
        if (pod.getSpec() != null && Names.SCHEDULER_NAME.equals(pod.getSpec().getSchedulerName())) {
            return true;
        }
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(Names.OPT_IN_LABEL));
    }
}
