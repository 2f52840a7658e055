package io.maroonedpods.provisioner.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinPin;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps MaroonedPodsConfig {@code default}'s status honest: observedGeneration and a Ready condition that says
 * whether the configuration is valid, the VMs' tokens can be pinned to the cluster CA and the node network is usable.
 * Not ready, or on the pod network → look again in 30 s, because a Secret appearing and nodes joining are not events
 * it watches.
 *
 * <p>The status is written through {@link Apply} like every other write, not by JOSDK's status patch (a JSON patch
 * diffed from the informer's copy and sent without a guard): the warm pool writes the same status (its counts and its
 * own condition), and a patch guarded by the conditions it changes is worked out again on the newest copy when the
 * pool wrote in between, where JOSDK's could add a whole status or list over the pool's write or patch a list by an
 * index that has moved.
 */
public final class ConfigStatusReconciler implements Reconciler<MaroonedPodsConfig> {
    static final Duration RECHECK = Duration.ofSeconds(30);
    private final ConfigSource configs;
    private final KubernetesClient client;
    private final Apply apply;
    private final Clock clock;

    public ConfigStatusReconciler(ConfigSource configs, KubernetesClient client, Clock clock) {
        this.configs = configs;
        this.client = client;
        this.apply = new Apply(client);
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
        writeStatus(resource, reason, problem);
        // On the pod network the answer depends on the node count, which this controller does not watch.
        boolean podNetwork = view.config() != null && !view.config().onNodeLan();
        UpdateControl<MaroonedPodsConfig> control = UpdateControl.noUpdate();
        return problem == null && !podNetwork ? control : control.rescheduleAfter(RECHECK);
    }

    /** The status for the generation {@code resource} shows; nothing is written when the status says so already. */
    private void writeStatus(MaroonedPodsConfig resource, Reason reason, String problem) {
        Long generation = resource.getMetadata().getGeneration();
        apply.edit(
                client.resources(MaroonedPodsConfig.class)
                        .withName(resource.getMetadata().getName()),
                resource,
                current -> {
                    current.setStatus(
                            ConfigStatus.desired(generation, reason, problem, current.getStatus(), clock.instant()));
                    return current;
                },
                Apply.Option.STATUS);
    }
}
