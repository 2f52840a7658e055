package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler's own filter plugins that matter for MaroonedPods, in kube-scheduler's order and words:
 * NodeUnschedulable, TaintToleration (NoSchedule and NoExecute), and a readiness check. kube-scheduler itself leaves
 * readiness to the {@code node.kubernetes.io/not-ready} taint that the node lifecycle controller keeps in step with
 * the Ready condition; this cluster has no such controller, so the check stands in for it.
 */
public final class NodeFilters {
    public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private NodeFilters() {
    }

    /** Empty when the pod may go to the node; otherwise the reason, as FailedScheduling shows it. */
    public static Optional<String> reject(Pod pod, Node node) {
        return Optional.ofNullable(Facts.of(node).reject(tolerationsOf(pod)));
    }

    static List<Toleration> tolerationsOf(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    }

    /**
     * What the filters read of one node version, worded as FailedScheduling words it: worked out once per node
     * version, not once per node on every scheduling attempt (a thousand nodes, several attempts a second in a burst).
     *
     * @param node           the node version these facts are of (compared by identity: the informer replaces it)
     * @param filtering      its NoSchedule and NoExecute taints, in order
     * @param taintReasons   the reason for each of them
     */
    record Facts(Node node, boolean unschedulable, List<Taint> filtering, List<String> taintReasons, boolean ready) {
        static Facts of(Node node) {
            List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                    ? List.of() : node.getSpec().getTaints();
            List<Taint> filtering = taints.stream()
                    .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())).toList();
            List<String> reasons = filtering.stream().map(t -> "node(s) had untolerated taint {" + t.getKey() + ": "
                    + (t.getValue() == null ? "" : t.getValue()) + "}").toList();
            boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            return new Facts(node, unschedulable, filtering, reasons, isReady(node));
        }

        /** Null when a pod with these tolerations may go to the node; otherwise the reason. */
        String reject(List<Toleration> tolerations) {
            if (unschedulable && tolerations.stream().noneMatch(t -> tolerates(t, UNSCHEDULABLE))) {
                return "node(s) were unschedulable";
            }
            for (int i = 0; i < filtering.size(); i++) {
                Taint taint = filtering.get(i);
                if (tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
                    return taintReasons.get(i);
                }
            }
            return ready ? null : "node(s) were not ready";
        }
    }

    private static final Taint UNSCHEDULABLE = new Taint("NoSchedule", UNSCHEDULABLE_TAINT, null, null);

    /** Kubernetes' ToleratesTaint: effect, key and (for Equal) value must match; an empty key with Exists matches all. */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey() == null ? "" : toleration.getKey();
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal" : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> !key.isEmpty() && nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    public static boolean isReady(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
