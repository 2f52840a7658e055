package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.simulator.scheduler.ExtenderClient.ExtenderException;
import io.maroonedpods.simulator.scheduler.ExtenderClient.FilterResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What kube-scheduler makes of an extender's filter and prioritize answers. */
final class ExtenderAnswers {
    private ExtenderAnswers() {}

    /** The feasible nodes the extender let pass; its reasons for the others go into {@code reasons}. */
    static List<Node> passing(ExtenderClient extender, Pod pod, List<Node> feasible, Map<String, String> reasons)
            throws ExtenderException {
        FilterResult result = extender.filter(pod, feasible);
        Map<String, Node> byName = new HashMap<>(2 * feasible.size());
        feasible.forEach(n -> byName.put(n.getMetadata().getName(), n));
        List<Node> passing = new ArrayList<>();
        for (String name : result.nodeNames()) {
            Node node = byName.get(name);
            if (node == null) {
                throw new ExtenderException("extender " + extender.urlPrefix() + " claims a filtered node \"" + name
                        + "\" which is not found in the input node list");
            }
            passing.add(node);
        }
        reasons.putAll(result.failedNodes());
        reasons.putAll(result.failedAndUnresolvableNodes());
        return passing;
    }

    /** The candidates with the highest score (kube-scheduler scales 0..10 to 0..100 and applies the weight). */
    static List<String> highestScored(List<Node> candidates, Map<String, Integer> scores, int weight) {
        List<String> best = new ArrayList<>();
        long bestScore = Long.MIN_VALUE;
        for (Node node : candidates) {
            String name = node.getMetadata().getName();
            long score = (long) scores.getOrDefault(name, 0) * 10 * weight;
            if (score > bestScore) {
                best.clear();
                bestScore = score;
            }
            if (score == bestScore) {
                best.add(name);
            }
        }
        return best;
    }
}
