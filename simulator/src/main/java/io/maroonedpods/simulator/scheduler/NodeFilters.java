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
        List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null
                ? List.of() : pod.getSpec().getTolerations();
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())
                && tolerations.stream().noneMatch(t -> tolerates(t, new Taint("NoSchedule", UNSCHEDULABLE_TAINT, null, null)))) {
            return Optional.of("node(s) were unschedulable");
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        for (Taint taint : taints) {
            boolean filtering = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
            if (filtering && tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
                return Optional.of("node(s) had untolerated taint {" + taint.getKey() + ": "
                        + (taint.getValue() == null ? "" : taint.getValue()) + "}");
            }
        }
        if (!isReady(node)) {
            return Optional.of("node(s) were not ready");
        }
        return Optional.empty();
    }

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
