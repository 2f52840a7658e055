package io.maroonedpods.provisioner.config;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinPin;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps MaroonedPodsConfig {@code default}'s status honest: observedGeneration and a Ready condition that says
 * whether the configuration is valid, the VMs' tokens can be pinned to the cluster CA and the node network is usable.
 * Not ready, or on the pod network → look again in 30 s, because a Secret appearing and nodes joining are not events
 * it watches.
 */
public final class ConfigStatusReconciler implements Reconciler<MaroonedPodsConfig> {
    static final Duration RECHECK = Duration.ofSeconds(30);
    private final ConfigSource configs;
    private final Clock clock;

    public ConfigStatusReconciler(ConfigSource configs, Clock clock) {
        this.configs = configs;
        this.clock = clock;
    }

    @Override
    public UpdateControl<MaroonedPodsConfig> reconcile(
            MaroonedPodsConfig resource, Context<MaroonedPodsConfig> context) {
        if (!Names.CONFIG_NAME.equals(resource.getMetadata().getName())) {
            return UpdateControl.noUpdate();
        }
        ConfigView view = configs.viewOf(Optional.of(resource));
        String problem = view.problem();
        Reason reason = Reason.ConfigInvalid;
        if (problem == null) {
            JoinPin pin = configs.caPin(view.config());
            problem = pin.problem();
            reason = pin.reason();
        }
        if (problem == null) {
            problem = configs.nodeNetworkProblem(view.config());
            reason = Reason.NodeNetworkUnsupported;
        }
        MaroonedPodsConfigStatus desired = ConfigStatus.desired(
                resource.getMetadata().getGeneration(), reason, problem, resource.getStatus(), clock.instant());
        UpdateControl<MaroonedPodsConfig> control;
        if (Objects.equals(desired, resource.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            MaroonedPodsConfig patch = new MaroonedPodsConfig();
            patch.setMetadata(resource.getMetadata());
            patch.setStatus(desired);
            control = UpdateControl.patchStatus(patch);
        }
        // On the pod network the answer depends on the node count, which this controller does not watch.
        boolean podNetwork = view.config() != null && !view.config().onNodeLan();
        return problem == null && !podNetwork ? control : control.rescheduleAfter(RECHECK);
    }
}
