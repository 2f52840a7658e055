package io.maroonedpods.simulator.report;

import io.maroonedpods.simulator.report.Timeline.PodTimeline;
import java.util.List;
import java.util.Locale;

/** The human-readable end of a run: the per-pod timeline, then the summary (pure: summary in, text out). */
public final class SummaryText {
    private SummaryText() {}

    public static String render(Summary s) {
        StringBuilder out = new StringBuilder();
        timeline(out, s);
        out.append('\n').append("Summary\n");
        binding(out, s);
        safety(out, s);
        activity(out, s);
        verdict(out, s);
        return out.toString();
    }

    private static void timeline(StringBuilder out, Summary s) {
        out.append("Per-pod timeline (seconds since start):\n");
        out.append(String.format(
                Locale.ROOT,
                "  %-34s %8s %12s %14s %8s  %s%n",
                "pod",
                "created",
                "VMI created",
                "node verified",
                "bound",
                "node"));
        for (PodTimeline t : s.timeline()) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-34s %8s %12s %14s %8s  %s%n",
                    shorten(t.namespace() + "/" + t.name(), 34),
                    seconds(t.created()),
                    seconds(t.vmiCreated()),
                    seconds(t.nodeVerified()),
                    seconds(t.bound()),
                    t.node() == null ? "-" : t.node()));
        }
    }

    /** Whether and how fast the pods were bound, and what their VMs left behind. */
    private static void binding(StringBuilder out, Summary s) {
        line(out, "maroon pods bound", s.bound() + " / " + s.pods());
        if (!s.givenUp().isEmpty()) {
            line(out, "given up on as configured", String.join(", ", s.givenUp()));
        }
        line(out, "bind latency p50 / p95", seconds(s.bindP50Seconds()) + " s / " + seconds(s.bindP95Seconds()) + " s");
        if (s.claimedPods() > 0) {
            line(
                    out,
                    "warm-pool claims",
                    s.claimedPods() + " pods, bind p50 " + seconds(s.claimedBindP50Seconds())
                            + " s; booted their own VM: " + s.bootedPods() + " pods, bind p50 "
                            + seconds(s.bootedBindP50Seconds()) + " s");
        }
        List<Double> verify = Summary.verifyLatencies(s.timeline());
        line(
                out,
                "node registered → verified",
                "p50 " + millis(Summary.percentile(verify, 50)) + " / p99 " + millis(Summary.percentile(verify, 99)));
        line(
                out,
                "VMIs created / deleted",
                s.vmisCreated() + " / " + s.vmisDeleted() + " (duplicates: " + s.duplicateVmis() + ")");
        line(
                out,
                "left after teardown",
                s.tornDown()
                        ? (s.orphans().isEmpty() ? "nothing" : String.join(", ", s.orphans()))
                        : "not torn down (--serve)");
    }

    /** Isolation and the shared join token. */
    private static void safety(StringBuilder out, Summary s) {
        line(
                out,
                "isolation",
                s.isolationViolations().isEmpty()
                        ? "every maroon pod alone on its own VM node; " + s.ordinaryBound() + " of " + s.ordinaryPods()
                                + " ordinary pods on the " + s.workers() + (s.workers() == 1 ? " worker" : " workers")
                                + ", half placed while the VM nodes existed"
                        : s.isolationViolations().size() + " violation(s)");
        line(
                out,
                "shared join token in a VM",
                s.tokenLeaks().isEmpty()
                        ? "none: in no VMI, userdata or Secret of the VM namespace, Event, log or metric (each VM joined with a"
                                + " bootstrap token of its own)"
                        : "found in " + String.join(", ", s.tokenLeaks()));
    }

    /** What the scheduler, the components and the API server went through. */
    private static void activity(StringBuilder out, Summary s) {
        line(out, "FailedScheduling events", Long.toString(s.failedSchedulingEvents()));
        s.failedSchedulingReasons().stream()
                .limit(3)
                .forEach(r -> out.append("      e.g. ").append(r).append('\n'));
        line(
                out,
                "all VMIs created / bound",
                seconds(Summary.allReached(s.timeline(), PodTimeline::vmiCreated)) + " s / "
                        + seconds(Summary.allReached(s.timeline(), PodTimeline::bound)) + " s after the first pod");
        line(
                out,
                "component API requests",
                s.componentApiRequests() + " (" + s.apiFaultsInjected() + " answered with an injected fault)");
        s.disruptions().forEach(d -> line(out, "provisioner disrupted", d));
        if (s.watchesDropped() > 0) {
            line(out, "watches dropped", s.watchesDropped() + " (ended with 410 Expired)");
        }
        line(out, "scheduler profile", s.schedulerProfile());
        s.bootProblems().stream().limit(5).forEach(p -> line(out, "guest could not join", p));
        if (s.heapUsedAfterBurstMb() != null) {
            line(
                    out,
                    "heap after burst",
                    String.format(Locale.ROOT, "%.0f MB used after a full GC (whole JVM)", s.heapUsedAfterBurstMb()));
        }
    }

    private static void verdict(StringBuilder out, Summary s) {
        line(out, "wall time", seconds(s.wallSeconds()) + " s");
        if (s.problems().isEmpty()) {
            out.append(
                    s.givenUp().isEmpty()
                            ? "\nOK: all pods bound, nothing leaked, isolation held.\n"
                            : "\nOK: all pods bound but those given up on as configured, nothing leaked, isolation held.\n");
        } else {
            out.append("\nFAILED:\n");
            s.problems().forEach(p -> out.append("  - ").append(p).append('\n'));
        }
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-26s %s%n", label + ":", value));
    }

    private static String millis(Double seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    static String seconds(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
