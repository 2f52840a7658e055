package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.provisioner.reconcile.MaroonPodReconciler;
import java.time.Duration;

/** How the pod controller is registered: which pods its informer asks the API server for, retries, filters. */
final class PodController {
    /** Every pod is looked at again at least this often anyway. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(2);

    private PodController() {}

    static ControllerConfiguration<Pod> configuration(
            ConfigurationService service, MaroonPodReconciler pods, ProvisionerConfig config) {
        String schedulerName = config.schedulerName();
        var overrider = ControllerConfigurationOverrider.override(service.getConfigurationFor(pods))
                .withName("maroon-pods")
                // Pod status changes (Succeeded, Failed) do not bump metadata.generation, and we must see them.
                .withGenerationAware(false)
                .withTriggerReconcilerOnAllEvents(true)
                // API errors are retried without limit, 1 s doubling to 30 s (a pod must never be stranded by a bad
                // minute of the API server).
                .withRetry(new GenericRetry()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setIntervalMultiplier(2)
                        .setMaxInterval(Duration.ofSeconds(30).toMillis())
                        .withoutMaxAttempts())
                .withReconciliationMaxInterval(MAX_INTERVAL)
                // Opted-in pods, and a pod that just stopped opting in (its label removed): its VM goes.
                .withOnAddFilter(pod -> OptIn.isMaroon(pod, schedulerName))
                .withOnUpdateFilter(
                        (pod, old) -> OptIn.isMaroon(pod, schedulerName) || OptIn.isMaroon(old, schedulerName));
        if (config.podWatch() == PodWatch.LABEL) {
            overrider.withLabelSelector(Names.OPT_IN_LABEL + "=true");
        }
        ControllerConfiguration<Pod> built = overrider.build();
        if (config.podWatch() != PodWatch.SCHEDULER_NAME) {
            return built;
        }
        // JOSDK's overrider has no field selector: the informer configuration is replaced with one that has it.
        InformerConfiguration<Pod> informer = InformerConfiguration.builder(built.getInformerConfig())
                .withFieldSelector(
                        new FieldSelector(new FieldSelector.Field(PodWatch.SCHEDULER_NAME_FIELD, schedulerName)))
                .buildForController();
        return new ResolvedControllerConfiguration<>(built) {
            @Override
            public InformerConfiguration<Pod> getInformerConfig() {
                return informer;
            }
        };
    }
}
