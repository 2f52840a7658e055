package io.maroonedpods.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the config controller shows on MaroonedPodsConfig default's status, called as JOSDK calls it. */
class ConfigStatusReconcilerTest {
    private final TestCluster cluster = TestCluster.start();
    private final KubernetesClient client = cluster.client();
    private final ConfigStatusReconciler reconciler = new ConfigStatusReconciler(
            new ConfigSource(client, Names.DEFAULT_VMI_NAMESPACE), client, Clock.systemUTC());

    @AfterEach
    void stop() {
        cluster.close();
    }

    private MaroonedPodsConfig create(MaroonedPodsConfigSpec spec) {
        MaroonedPodsConfig config = new MaroonedPodsConfig();
        config.getMetadata().setName(Names.CONFIG_NAME);
        config.setSpec(spec);
        return client.resource(config).create();
    }

    private MaroonedPodsConfig stored() {
        return client.resources(MaroonedPodsConfig.class)
                .withName(Names.CONFIG_NAME)
                .get();
    }

    private static Condition condition(MaroonedPodsConfig config, String type) {
        return config.getStatus().conditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aValidConfigIsReadyAndTheWarmPoolsConditionWrittenMeanwhileStays() {
        MaroonedPodsConfig seen = create(ClusterSeed.configSpec());
        // The warm pool writes its own condition after the controller's informer copied the config.
        MaroonedPodsConfig withPool = stored();
        withPool.setStatus(new MaroonedPodsConfigStatus(
                null,
                null,
                List.of(new ConditionBuilder()
                        .withType("WarmPoolFilled")
                        .withStatus("True")
                        .withReason("Disabled")
                        .withMessage("spec.warmPoolSize is 0")
                        .withLastTransitionTime("2026-12-05T10:00:00Z")
                        .build())));
        client.resource(withPool).updateStatus();

        UpdateControl<MaroonedPodsConfig> control = reconciler.reconcile(seen, null);

        MaroonedPodsConfig after = stored();
        assertThat(condition(after, "Ready").getStatus()).isEqualTo("True");
        assertThat(after.getStatus().observedGeneration()).isEqualTo(1L);
        assertThat(condition(after, "WarmPoolFilled").getReason()).isEqualTo("Disabled");
        assertThat(control.getScheduleDelay()).as("nothing to look at again").isEmpty();
    }

    @Test
    void aStatusThatSaysSoAlreadyIsNotWrittenAgain() {
        reconciler.reconcile(create(ClusterSeed.configSpec()), null);
        MaroonedPodsConfig ready = stored();

        reconciler.reconcile(ready, null);

        assertThat(stored().getMetadata().getResourceVersion())
                .isEqualTo(ready.getMetadata().getResourceVersion());
    }

    @Test
    void anInvalidConfigIsNotReadyNamingTheFieldAndIsLookedAtAgain() {
        MaroonedPodsConfigSpec spec = ClusterSeed.configSpec();
        MaroonedPodsConfig invalid = create(new MaroonedPodsConfigSpec(
                spec.nodeImage(),
                spec.enableKernelBoot(),
                spec.kernelBootConfig(),
                spec.baseVMResources(),
                spec.resourceOverhead(),
                spec.warmPoolSize(),
                spec.nodeTaintKey(),
                spec.join(),
                "Not_A_Namespace",
                spec.networkBinding(),
                spec.bootTimeoutSeconds(),
                spec.maxBootAttempts(),
                spec.maxConcurrentBoots(),
                spec.nodeNetwork()));

        UpdateControl<MaroonedPodsConfig> control = reconciler.reconcile(invalid, null);

        Condition ready = condition(stored(), "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidConfig");
        assertThat(ready.getMessage()).contains("spec.vmNamespace");
        assertThat(control.getScheduleDelay()).contains(ConfigStatusReconciler.RECHECK.toMillis());
        assertThat(Optional.ofNullable(stored().getStatus().warmPool())).isEmpty();
    }
}
