package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.maroonedpods.api.Tolerations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduler's own filter plugins that matter for MaroonedPods, in kube-scheduler's order and words:
 * NodeUnschedulable, TaintToleration (NoSchedule and NoExecute), a readiness check, and NodeAffinity (the pod's
 * nodeSelector and required node affinity, with its PreFilter). kube-scheduler itself leaves readiness to the
 * {@code node.kubernetes.io/not-ready} taint that the node lifecycle controller keeps in step with the Ready
 * condition; the check stands in for it where TaintToleration runs, for nodes that report NotReady before the
 * simulated controller has tainted them.
 */
public final class NodeFilters {
    public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private NodeFilters() {}

    /** Empty when the pod may go to the node; otherwise the reason, as FailedScheduling shows it. */
    public static Optional<String> reject(Pod pod, Node node) {
        Outcome outcome = filter(pod, List.of(node), Map.of());
        return outcome.feasible().isEmpty()
                ? Optional.of(
                        outcome.preFilterFailure() != null
                                ? outcome.preFilterFailure()
                                : outcome.reasons().get(node.getMetadata().getName()))
                : Optional.empty();
    }

    /**
     * What the plugins decided for one pod over every node.
     *
     * @param feasible         the nodes that passed, in the order given
     * @param reasons          by node name, why each other node did not
     * @param facts            the facts of every node, to pass as {@code known} to the next call
     * @param preFilterFailure the reason PreFilter rejected the pod before any node was looked at, or null
     */
    public record Outcome(
            List<Node> feasible, Map<String, String> reasons, Map<String, Facts> facts, String preFilterFailure) {}

    /**
     * Runs the filters for a pod over the nodes: PreFilter first (a conflict rejects the pod outright; a node-name
     * result leaves the other nodes out, with kube-scheduler's reason), then each plugin in order per node, the first
     * rejection being the node's reason.
     *
     * @param known the facts of the previous call: those of a node version seen before are reused
     */
    public static Outcome filter(Pod pod, List<Node> nodes, Map<String, Facts> known) {
        NodeAffinity affinity = NodeAffinity.of(pod);
        NodeAffinity.PreFilter preFilter = affinity.preFilter();
        if (preFilter instanceof NodeAffinity.Conflict) {
            return new Outcome(List.of(), Map.of(), known, NodeAffinity.CONFLICT);
        }
        Set<String> only = preFilter instanceof NodeAffinity.OnlyNodes o ? o.names() : null;
        List<Toleration> tolerations = tolerationsOf(pod);
        // By node, in no order: FailureMessage counts the reasons and sorts what it prints.
        Map<String, String> reasons = new HashMap<>(2 * nodes.size());
        Map<String, Facts> facts = new HashMap<>(2 * nodes.size());
        List<Node> feasible = new ArrayList<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            Facts seen = known.get(name);
            Facts current = seen != null && seen.node() == node ? seen : Facts.of(node);
            facts.put(name, current);
            String reason = only != null && !only.contains(name)
                    ? NodeAffinity.NOT_IN_PRE_FILTER_RESULT
                    : current.reject(tolerations, affinity);
            if (reason == null) {
                feasible.add(node);
            } else {
                reasons.put(name, reason);
            }
        }
        return new Outcome(feasible, reasons, facts, null);
    }

    static List<Toleration> tolerationsOf(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getTolerations() == null
                ? List.of()
                : pod.getSpec().getTolerations();
    }

    /**
     * What the filters read of one node version, worded as FailedScheduling words it: worked out once per node
     * version, not once per node on every scheduling attempt (a thousand nodes, several attempts a second in a burst).
     *
     * @param node           the node version these facts are of (compared by identity: the informer replaces it)
     * @param filtering      its NoSchedule and NoExecute taints, in order
     * @param taintReasons   the reason for each of them
     */
    public record Facts(
            Node node, boolean unschedulable, List<Taint> filtering, List<String> taintReasons, boolean ready) {
        static Facts of(Node node) {
            List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                    ? List.of()
                    : node.getSpec().getTaints();
            List<Taint> filtering = taints.stream()
                    .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                    .toList();
            List<String> reasons = filtering.stream()
                    .map(t -> "node(s) had untolerated taint {" + t.getKey() + ": "
                            + (t.getValue() == null ? "" : t.getValue()) + "}")
                    .toList();
            boolean unschedulable =
                    node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            return new Facts(node, unschedulable, filtering, reasons, isReady(node));
        }

        /** Null when a pod with these tolerations and this node affinity may go to the node; otherwise the reason. */
        String reject(List<Toleration> tolerations, NodeAffinity affinity) {
            if (unschedulable && tolerations.stream().noneMatch(t -> Tolerations.tolerates(t, UNSCHEDULABLE))) {
                return "node(s) were unschedulable";
            }
            for (int i = 0; i < filtering.size(); i++) {
                Taint taint = filtering.get(i);
                if (tolerations.stream().noneMatch(t -> Tolerations.tolerates(t, taint))) {
                    return taintReasons.get(i);
                }
            }
            if (!ready) {
                return "node(s) were not ready";
            }
            return affinity.isEmpty() || affinity.matches(node) ? null : NodeAffinity.REJECTED;
        }
    }

    private static final Taint UNSCHEDULABLE = new Taint("NoSchedule", UNSCHEDULABLE_TAINT, null, null);

    public static boolean isReady(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
