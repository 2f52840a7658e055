package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus.WarmPoolStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@code warmPool} counts and the {@code WarmPoolFilled} condition of MaroonedPodsConfig's status. Pure. */
public final class PoolStatus {
    public static final String FILLED = "WarmPoolFilled";

    private PoolStatus() {}

    /**
     * @param problemReason the condition reason of {@code problem} ({@code NodeNetworkUnsupported}, or the join pin's:
     *                      {@code JoinSecretMissing}, {@code JoinTokenRefused}, {@code ClusterCaUnknown}), or null
     * @param problem       why the pool cannot be filled (node network, no cluster CA pin), or null
     * @return the status to write, or null when nothing changed (a new lastTransitionTime alone is no change)
     */
    public static MaroonedPodsConfigStatus desired(
            MaroonedPodsConfigStatus previous,
            int size,
            int available,
            int booting,
            int claimed,
            String problemReason,
            String problem,
            Instant now) {
        WarmPoolStatus counts = new WarmPoolStatus(available + booting + claimed, available, claimed);
        String status;
        String reason;
        String message;
        if (available >= size) {
            status = "True";
            reason = size == 0 ? "Disabled" : "Filled";
            message = size == 0 ? "spec.warmPoolSize is 0" : available + " of " + size + " pool VMs available";
        } else if (problem != null) {
            status = "False";
            reason = problemReason == null ? "CannotFill" : problemReason;
            message = problem;
        } else {
            status = "False";
            reason = "Filling";
            message = available + " of " + size + " pool VMs available, " + booting + " booting";
        }
        List<Condition> conditions =
                previous == null || previous.conditions() == null ? List.of() : previous.conditions();
        Condition old = conditions.stream()
                .filter(c -> FILLED.equals(c.getType()))
                .findFirst()
                .orElse(null);
        if (old != null
                && status.equals(old.getStatus())
                && reason.equals(old.getReason())
                && message.equals(old.getMessage())
                && previous.warmPool() != null
                && Objects.equals(counts, previous.warmPool())) {
            return null;
        }
        if (old == null && previous != null && previous.warmPool() == null && size == 0 && counts.total() == 0) {
            return null; // no pool was ever asked for: leave the status as it is
        }
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime()
                : now.toString();
        List<Condition> updated = new ArrayList<>();
        conditions.stream().filter(c -> !FILLED.equals(c.getType())).forEach(updated::add);
        updated.add(new ConditionBuilder()
                .withType(FILLED)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .build());
        return new MaroonedPodsConfigStatus(previous == null ? null : previous.observedGeneration(), counts, updated);
    }
}
