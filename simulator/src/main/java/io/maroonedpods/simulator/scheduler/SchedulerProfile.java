package io.maroonedpods.simulator.scheduler;

import java.time.Duration;

/**
 * One scheduler profile the driver runs: its name (the pods' {@code spec.schedulerName}), its queue's backoff, and
 * its extender (null for none). {@code source} says where the values came from, for the summary.
 */
public record SchedulerProfile(
        String schedulerName, Duration initialBackoff, Duration maxBackoff, ExtenderSettings extender, String source) {

    /** kube-scheduler's defaults (1 s → 10 s) and no extender: the stand-in for the cluster's default scheduler. */
    public static SchedulerProfile defaultScheduler() {
        return new SchedulerProfile(
                "default-scheduler", Duration.ofSeconds(1), Duration.ofSeconds(10), null, "kube-scheduler defaults");
    }

    /**
     * The extender part of a KubeSchedulerConfiguration. {@code urlPrefix} keeps the manifest's path (such as
     * {@code /scheduler}); the simulator points it at the extender it started.
     */
    public record ExtenderSettings(
            String urlPath,
            String filterVerb,
            String prioritizeVerb,
            String bindVerb,
            boolean nodeCacheCapable,
            Duration httpTimeout,
            int weight) {

        /** What the design prescribes for the maroon-scheduler profile. */
        public static ExtenderSettings designDefaults() {
            return new ExtenderSettings("/scheduler", "filter", "prioritize", "bind", true, Duration.ofSeconds(5), 1);
        }
    }
}
