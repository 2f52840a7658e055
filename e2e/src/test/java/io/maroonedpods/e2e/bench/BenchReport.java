package io.maroonedpods.e2e.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The benchmark's Markdown: medians per node count and setup, the goal judged, every burst listed. */
final class BenchReport {
    private BenchReport() {}

    static String markdown(List<Burst.Result> results, int pods, int rounds, int qps, Instant started) {
        Map<String, List<Burst.Result>> groups = results.stream()
                .collect(Collectors.groupingBy(
                        r -> r.nodes() + "|" + r.setup(), LinkedHashMap::new, Collectors.toList()));
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Bursts of %,d pending ordinary pods, %d rounds per setup (the setups"
                        + " rotated: each ran first, second and third in turn), kube-scheduler's client at %d qps; started %s."
                        + " Medians, and the range over the rounds; CPU time over the window from the first bind to the last,"
                        + " per 1,000 pods.%n%n",
                pods,
                rounds,
                qps,
                started));
        out.append("| nodes | setup | pods/s | vs no-op | kube-scheduler CPU s | extender CPU s | etcd + API server"
                + " CPU s | algorithm ms | extender's own ms | load | host probe ms |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (List<Burst.Result> group : groups.values()) {
            Burst.Result first = group.get(0);
            double noop = median(
                    groups.getOrDefault(first.nodes() + "|no-op extender (Go)", group), Burst.Result::podsPerSecond);
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |" + " %s |%n",
                    first.nodes(),
                    first.setup(),
                    medianRange(group, Burst.Result::podsPerSecond, "%.0f"),
                    median(group, Burst.Result::podsPerSecond) / noop,
                    median(group, r -> perThousand(r, r.schedulerCpuMs())),
                    median(group, r -> perThousand(r, r.extenderCpuMs())),
                    median(group, r -> perThousand(r, r.controlPlaneCpuMs())),
                    median(group, Burst.Result::algorithmMs),
                    first.setup().startsWith("MaroonedPods")
                            ? String.format(Locale.ROOT, "%.2f", median(group, Burst.Result::extenderServerMs))
                            : "-",
                    range(group, r -> number(r.load()), "%.2f"),
                    range(group, r -> number(r.hostProbe()), "%.0f")));
        }
        out.append('\n').append(verdict(groups)).append("\n\nEvery burst, in the order run:\n\n");
        out.append("| nodes | setup | seconds first to last bind | pods/s | kube-scheduler CPU ms | extender CPU ms"
                + " | etcd + API server CPU ms | load | host probe ms |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Burst.Result r : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %s | %.2f | %.0f | %d | %d | %d | %s | %s |%n",
                    r.nodes(),
                    r.setup(),
                    r.seconds(),
                    r.podsPerSecond(),
                    r.schedulerCpuMs(),
                    r.extenderCpuMs(),
                    r.controlPlaneCpuMs(),
                    r.load(),
                    r.hostProbe()));
        }
        return out.toString();
    }

    /** The goal of issue 21: at the largest node count, our extender within 10 % of the no-op's throughput. */
    private static String verdict(Map<String, List<Burst.Result>> groups) {
        int largest =
                groups.values().stream().mapToInt(g -> g.get(0).nodes()).max().orElse(0);
        List<Burst.Result> ours = groups.get(largest + "|MaroonedPods extender");
        List<Burst.Result> noop = groups.get(largest + "|no-op extender (Go)");
        if (ours == null || noop == null) {
            return "(no verdict: the run lacks our extender or the no-op at " + largest + " nodes)";
        }
        double ratio = median(ours, Burst.Result::podsPerSecond) / median(noop, Burst.Result::podsPerSecond);
        return String.format(
                Locale.ROOT,
                "- our extender within 10 %% of the no-op extender's throughput at %,d"
                        + " nodes: %s (%.0f %% of it, medians)",
                largest,
                ratio >= 0.9 ? "met" : "NOT met",
                100 * ratio);
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double perThousand(Burst.Result r, long cpuMs) {
        return cpuMs / (double) (r.pods() - 1);
    }

    static double median(List<Burst.Result> group, ToDoubleFunction<Burst.Result> value) {
        List<Double> sorted = sorted(group, value);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String medianRange(List<Burst.Result> group, ToDoubleFunction<Burst.Result> value, String format) {
        return String.format(Locale.ROOT, format, median(group, value)) + " (" + range(group, value, format) + ")";
    }

    private static String range(List<Burst.Result> group, ToDoubleFunction<Burst.Result> value, String format) {
        List<Double> sorted = sorted(group, value);
        return String.format(Locale.ROOT, format + "-" + format, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static List<Double> sorted(List<Burst.Result> group, ToDoubleFunction<Burst.Result> value) {
        List<Double> values =
                new ArrayList<>(group.stream().mapToDouble(value).boxed().toList());
        values.sort(Comparator.naturalOrder());
        return values;
    }
}
