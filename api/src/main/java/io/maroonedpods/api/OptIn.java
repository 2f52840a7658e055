package io.maroonedpods.api;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** The opt-in rule: a pod is a maroon pod when it names our scheduler or carries the opt-in label. */
public final class OptIn {
    private OptIn() {}

    public static boolean isMaroon(Pod pod) {
        return isMaroon(pod, Names.SCHEDULER_NAME);
    }

    /**
     * @param schedulerName the configured scheduler name ({@link Names#SCHEDULER_NAME_SETTING}); a pod naming it opts
     *                      in as well as one naming the default
     */
    public static boolean isMaroon(Pod pod, String schedulerName) {
        if (pod == null) {
            return false;
        }
        String named = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        Map<String, String> labels =
                pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return isMaroon(named, labels == null ? null : labels.get(Names.OPT_IN_LABEL), schedulerName);
    }

    /**
     * The rule on the two fields it reads, for readers that never build a Pod.
     *
     * @param podSchedulerName the pod's spec.schedulerName (may be null)
     * @param optInLabelValue  the value of its {@link Names#OPT_IN_LABEL} label (null when absent)
     */
    public static boolean isMaroon(String podSchedulerName, String optInLabelValue, String schedulerName) {
        return Names.SCHEDULER_NAME.equals(podSchedulerName)
                || schedulerName.equals(podSchedulerName)
                || "true".equals(optInLabelValue);
    }
}
