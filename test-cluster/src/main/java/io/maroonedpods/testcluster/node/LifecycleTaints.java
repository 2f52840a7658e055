package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;

/**
 * The taints kube-controller-manager's node lifecycle controller keeps on a node, as pure functions. On every node
 * event it keeps {@code node.kubernetes.io/not-ready:NoSchedule} in step with the Ready condition; the NoExecute
 * taint of the same key is added and removed only by its periodic health pass ({@code --node-monitor-period}), so a
 * node that just turned Ready still carries it for up to one period.
 */
public final class LifecycleTaints {
    public static final String NOT_READY = NodeRegistration.NOT_READY_TAINT;

    private LifecycleTaints() {}

    /** The taints after a node event: the NoSchedule not-ready taint present iff the node is not Ready. */
    public static List<Taint> onEvent(Node node) {
        return withTaint(taints(node), new Taint("NoSchedule", NOT_READY, null, null), !ready(node));
    }

    /** The taints after a health pass: the NoExecute not-ready taint present iff the node is not Ready. */
    public static List<Taint> onPass(Node node) {
        return withTaint(taints(node), new Taint("NoExecute", NOT_READY, null, null), !ready(node));
    }

    private static List<Taint> withTaint(List<Taint> taints, Taint taint, boolean present) {
        boolean has = taints.stream().anyMatch(t -> sameKeyAndEffect(t, taint));
        if (has == present) {
            return taints;
        }
        List<Taint> result = new ArrayList<>(taints);
        if (present) {
            result.add(taint);
        } else {
            result.removeIf(t -> sameKeyAndEffect(t, taint));
        }
        return result;
    }

    private static boolean sameKeyAndEffect(Taint a, Taint b) {
        return a.getKey().equals(b.getKey()) && a.getEffect().equals(b.getEffect());
    }

    static List<Taint> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
    }

    static boolean ready(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
