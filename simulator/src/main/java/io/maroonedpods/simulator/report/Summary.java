package io.maroonedpods.simulator.report;

import io.maroonedpods.simulator.report.Timeline.PodTimeline;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a run. {@link #problems()} lists everything that makes the run fail (unbound pods, leaks,
 * duplicates, isolation broken); the exit code is non-zero when it is not empty.
 *
 * @param givenUp            pods given up on as configured (maxBootAttempts of their VMs failed): left unbound by
 *                           design
 * @param unexplainedGiveUps pods given up on with fewer failed VMs than that
 */
public record Summary(
        int pods,
        int bound,
        List<String> givenUp,
        List<String> unexplainedGiveUps,
        long vmisCreated,
        long vmisDeleted,
        int duplicateVmis,
        List<String> orphans,
        Double bindP50Seconds,
        Double bindP95Seconds,
        long failedSchedulingEvents,
        List<String> failedSchedulingReasons,
        List<String> isolationViolations,
        List<String> bootProblems,
        long apiFaultsInjected,
        int watchesDropped,
        long componentApiRequests,
        int ordinaryPods,
        int ordinaryBound,
        int workers,
        List<String> tokenLeaks,
        List<String> disruptions,
        String schedulerProfile,
        boolean tornDown,
        double wallSeconds,
        Double heapUsedAfterBurstMb,
        List<PodTimeline> timeline) {

    /** Why this run failed; empty when it did not. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (bound + givenUp.size() < pods) {
            problems.add((pods - bound - givenUp.size()) + " of " + pods + " maroon pods were not bound"
                    + (givenUp.isEmpty() ? "" : " (besides " + givenUp.size() + " given up on as configured)"));
        }
        unexplainedGiveUps.forEach(
                pod -> problems.add("provisioning of " + pod + " was given up on before maxBootAttempts VMs failed"));
        if (!orphans.isEmpty()) {
            problems.add(orphans.size() + " objects leaked after all pods were deleted: " + String.join(", ", orphans));
        }
        if (duplicateVmis > 0) {
            problems.add(duplicateVmis + " duplicate VMIs (a second VMI for a pod whose first still existed)");
        }
        if (ordinaryBound < ordinaryPods) {
            problems.add((ordinaryPods - ordinaryBound) + " of " + ordinaryPods + " ordinary pods were not scheduled");
        }
        problems.addAll(isolationViolations);
        if (!tokenLeaks.isEmpty()) {
            problems.add("the cluster's shared join token appears in " + String.join(", ", tokenLeaks));
        }
        return problems;
    }

    /** Seconds from the first maroon pod's creation until the last pod reached a milestone; null if one never did. */
    public static Double allReached(
            List<PodTimeline> timeline, java.util.function.Function<PodTimeline, Double> milestone) {
        if (timeline.isEmpty() || timeline.stream().map(milestone).anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        double first = timeline.stream().mapToDouble(PodTimeline::created).min().orElse(0);
        return timeline.stream().mapToDouble(milestone::apply).max().orElse(first) - first;
    }

    /** Maroon pods bound to a warm-pool node they claimed (the rest booted their own VM). */
    public int claimedPods() {
        return (int)
                timeline.stream().filter(t -> t.bound() != null && claimed(t)).count();
    }

    public int bootedPods() {
        return (int)
                timeline.stream().filter(t -> t.bound() != null && !claimed(t)).count();
    }

    public Double claimedBindP50Seconds() {
        return percentile(
                bindLatencies(timeline.stream().filter(Summary::claimed).toList()), 50);
    }

    public Double bootedBindP50Seconds() {
        return percentile(
                bindLatencies(timeline.stream().filter(t -> !claimed(t)).toList()), 50);
    }

    static boolean claimed(PodTimeline t) {
        return t.node() != null && t.node().startsWith(io.maroonedpods.api.Names.POOL_NODE_PREFIX);
    }

    /** Bind latencies (created → bound, seconds) of the bound pods. */
    /** Heap the whole JVM (simulated cluster and components) still holds after a full GC: what the burst retains. */
    public static double heapUsedAfterGcMb() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                        .getHeapMemoryUsage()
                        .getUsed()
                / (1024.0 * 1024.0);
    }

    public static List<Double> bindLatencies(List<PodTimeline> timeline) {
        return timeline.stream()
                .filter(t -> t.bound() != null)
                .map(t -> t.bound() - t.created())
                .sorted()
                .toList();
    }

    /** Node registered → restricted label set (seconds), for the pods whose node got both, sorted. */
    public static List<Double> verifyLatencies(List<PodTimeline> timeline) {
        return timeline.stream()
                .filter(t -> t.nodeRegistered() != null && t.nodeVerified() != null)
                .map(t -> t.nodeVerified() - t.nodeRegistered())
                .sorted()
                .toList();
    }

    /** Nearest-rank percentile of sorted values; null for none. */
    public static Double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
