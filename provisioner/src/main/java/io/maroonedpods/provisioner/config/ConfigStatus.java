package io.maroonedpods.provisioner.config;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The status MaroonedPodsConfig {@code default} should show. Pure. */
public final class ConfigStatus {
    public static final String READY = "Ready";

    private ConfigStatus() {
    }

    /**
     * @param problem  why the configuration cannot be used (invalid field, missing join Secret, a node network that
     *                 cannot carry traffic), or null when ready
     * @param previous the current status, so that lastTransitionTime only moves when the condition changes
     */
    public static MaroonedPodsConfigStatus desired(Long generation, String problem, MaroonedPodsConfigStatus previous,
            Instant now) {
        String status = problem == null ? "True" : "False";
        String reason = problem == null ? "Ready" : problem.startsWith(NodeNetworkRule.FIELD) ? "NodeNetworkUnsupported"
                : problem.contains("Secret") ? "JoinSecretMissing" : "InvalidConfig";
        String message = problem == null ? "configuration valid and join Secret present" : problem;
        Condition old = previous == null || previous.conditions() == null ? null : previous.conditions().stream()
                .filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now.toString();
        Condition ready = new ConditionBuilder().withType(READY).withStatus(status).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(since).build();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(ready);
        if (previous != null && previous.conditions() != null) {
            previous.conditions().stream().filter(c -> !READY.equals(c.getType())).forEach(conditions::add);
        }
        return new MaroonedPodsConfigStatus(generation, previous == null ? null : previous.warmPool(), conditions);
    }
}
