package io.maroonedpods.simulator.scheduler;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * kube-scheduler's FitError text: {@code 0/5 nodes are available: 1 <reason>, 4 <reason>.}, reasons sorted, or, when
 * a PreFilter plugin rejected the pod before any node was looked at, {@code 0/5 nodes are available: <reason>.}
 */
public final class FailureMessage {
    private FailureMessage() {}

    public static String of(int allNodes, Map<String, String> reasonByNode) {
        // Unordered: the lines are sorted once, below, as kube-scheduler sorts them.
        Map<String, Long> histogram =
                reasonByNode.values().stream().collect(Collectors.groupingBy(reason -> reason, Collectors.counting()));
        String reasons = histogram.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .sorted()
                .collect(Collectors.joining(", "));
        return "0/" + allNodes + " nodes are available" + (reasons.isEmpty() ? "." : ": " + reasons + ".");
    }

    public static String preFilter(int allNodes, String reason) {
        return "0/" + allNodes + " nodes are available: " + reason + ".";
    }
}
