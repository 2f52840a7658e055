package io.maroonedpods.api;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Kubernetes' rule for whether a pod's tolerations let it onto a tainted node (pure). */
public final class Tolerations {
    /**
     * What kube-apiserver's DefaultTolerationSeconds admission gives every pod that does not tolerate these taints
     * already: 300 s on a node that is not ready or unreachable. So a node that just turned Ready, whose not-ready
     * NoExecute taint the node lifecycle controller removes only on its next pass, takes pods at once.
     */
    public static final List<Toleration> DEFAULT_NO_EXECUTE = List.of(
            new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 300L, null),
            new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 300L, null));

    private Tolerations() {}

    /** Kubernetes' ToleratesTaint: effect, key and (for Equal) value must match; an empty key with Exists matches all. */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null
                && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey() == null ? "" : toleration.getKey();
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator =
                toleration.getOperator() == null || toleration.getOperator().isEmpty()
                        ? "Equal"
                        : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> !key.isEmpty() && nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    /** True when every taint that keeps pods off a node (NoSchedule, NoExecute) is tolerated. */
    public static boolean toleratesAll(List<Toleration> tolerations, List<Taint> taints) {
        return taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .allMatch(taint -> tolerations.stream().anyMatch(t -> tolerates(t, taint)));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
