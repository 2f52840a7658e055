package io.maroonedpods.provisioner.config;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.provisioner.events.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The status MaroonedPodsConfig {@code default} should show. Pure. */
public final class ConfigStatus {
    public static final String READY = "Ready";

    private ConfigStatus() {}

    /**
     * @param reason   the condition's reason when there is a problem ({@code InvalidConfig}, the join pin's:
     *                 {@code JoinSecretMissing}, {@code JoinTokenRefused}, {@code ClusterCaUnknown}, or
     *                 {@code NodeNetworkUnsupported})
     * @param problem  why no VM can be created, naming the field or the Secret, or null when ready
     * @param previous the current status, so that lastTransitionTime only moves when the condition changes
     */
    public static MaroonedPodsConfigStatus desired(
            Long generation, Reason reason, String problem, MaroonedPodsConfigStatus previous, Instant now) {
        String status = problem == null ? "True" : "False";
        String conditionReason = problem == null ? "Ready" : conditionReason(reason);
        String message = problem == null ? "configuration valid and the VMs' tokens pinned to the cluster CA" : problem;
        Condition old = previous == null || previous.conditions() == null
                ? null
                : previous.conditions().stream()
                        .filter(c -> READY.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime()
                : now.toString();
        Condition ready = new ConditionBuilder()
                .withType(READY)
                .withStatus(status)
                .withReason(conditionReason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(ready);
        if (previous != null && previous.conditions() != null) {
            previous.conditions().stream()
                    .filter(c -> !READY.equals(c.getType()))
                    .forEach(conditions::add);
        }
        return new MaroonedPodsConfigStatus(generation, previous == null ? null : previous.warmPool(), conditions);
    }

    /** The Event's reason, but an invalid spec is {@code InvalidConfig} on the condition (its name since it exists). */
    private static String conditionReason(Reason reason) {
        return reason == Reason.ConfigInvalid ? "InvalidConfig" : reason.name();
    }
}
