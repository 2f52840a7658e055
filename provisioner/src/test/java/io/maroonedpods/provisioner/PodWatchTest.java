package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.reconcile.MaroonPodReconciler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodWatchTest extends MockCluster {

    @Test
    void theSchedulerNameModeAsksTheApiServerForPodsNamingTheConfiguredSchedulerOnly() {
        FieldSelector selector =
                podController(ProvisionerConfig.defaults()).getInformerConfig().getFieldSelector();

        assertThat(selector.getFields()).singleElement().satisfies(field -> {
            assertThat(field.path()).isEqualTo(PodWatch.SCHEDULER_NAME_FIELD);
            assertThat(field.value()).isEqualTo(Names.SCHEDULER_NAME);
            assertThat(field.negated()).isFalse();
        });
        assertThat(podController(ProvisionerConfig.defaults().toBuilder()
                                .schedulerName("vm-scheduler")
                                .build())
                        .getInformerConfig()
                        .getFieldSelector()
                        .getFields())
                .singleElement()
                .satisfies(field -> assertThat(field.value()).isEqualTo("vm-scheduler"));
        var plain = podController(ProvisionerConfig.defaults().toBuilder()
                .podWatch(PodWatch.ALL_PODS)
                .build());
        assertThat(plain.getInformerConfig().getFieldSelector())
                .satisfiesAnyOf(
                        s -> assertThat(s).isNull(),
                        s -> assertThat(s.getFields()).isEmpty());
    }

    private static io.javaoperatorsdk.operator.api.config.ControllerConfiguration<Pod> podController(
            ProvisionerConfig config) {
        return PodController.configuration(
                new BaseConfigurationService(),
                new MaroonPodReconciler(null, null, config.schedulerName(), false),
                config);
    }

    @Test
    void theLabelModeProvisionsLabelledPodsAndIgnoresOthers() {
        startProvisioner(testConfig().toBuilder().podWatch(PodWatch.LABEL).build());
        Pod labelled = createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("labelled"))
                .editMetadata()
                .withLabels(Map.of(Names.OPT_IN_LABEL, "true"))
                .endMetadata()
                .editSpec()
                .withSchedulerName("default-scheduler")
                .endSpec()
                .build());
        Pod unlabelled = createPod("by-scheduler-name");

        awaitRunningVmi(labelled);
        assertThat(vmi(unlabelled)).as("not watched in label mode").isNull();
    }

    @Test
    void listOptedInFindsBothOptIns() {
        createPod("by-name");
        createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("by-label"))
                .editMetadata()
                .withLabels(Map.of(Names.OPT_IN_LABEL, "true"))
                .endMetadata()
                .editSpec()
                .withSchedulerName("default-scheduler")
                .endSpec()
                .build());
        createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("plain"))
                .editSpec()
                .withSchedulerName("default-scheduler")
                .endSpec()
                .build());

        assertThat(PodWatch.ALL_PODS.listOptedIn(client, Names.SCHEDULER_NAME))
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("by-name", "by-label");
        assertThat(PodWatch.LABEL.listOptedIn(client, Names.SCHEDULER_NAME))
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("by-label");
    }

    /** What is asked (the CRUD mock cannot evaluate a spec.nodeName selector; the simulator's API server can). */
    @Test
    void aNodesPodsAreListedFreshByTheirNodeName() throws InterruptedException {
        String path = onlyRequestOf(() -> PodWatch.SCHEDULER_NAME.podsOn(client, "maroon-a"));

        assertThat(path).contains("fieldSelector=spec.nodeName%3Dmaroon-a").doesNotContain("resourceVersion");
    }

    @Test
    void theGuardWatchesOnlyBoundPodsWhereTheApiServerCanFilterThem() throws InterruptedException {
        String path =
                onlyRequestOf(() -> PodWatch.SCHEDULER_NAME.boundPods(client).list());
        assertThat(path).contains("fieldSelector=spec.nodeName%21%3D");

        assertThat(onlyRequestOf(() -> PodWatch.ALL_PODS.boundPods(client).list()))
                .doesNotContain("fieldSelector");
    }

    /** The path of the one request {@code call} makes (requests made before it are set aside first). */
    private String onlyRequestOf(Runnable call) throws InterruptedException {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // earlier requests
        }
        int before = server.getRequestCount();
        call.run();
        assertThat(server.getRequestCount() - before).isEqualTo(1);
        return server.takeRequest(1, TimeUnit.SECONDS).getPath();
    }

    @Test
    void parsesTheModeNamesUsersWrite() {
        assertThat(PodWatch.parse("scheduler-name")).isEqualTo(PodWatch.SCHEDULER_NAME);
        assertThat(PodWatch.parse("ALL_PODS")).isEqualTo(PodWatch.ALL_PODS);
        assertThatThrownBy(() -> PodWatch.parse("everything"))
                .hasMessage("must be scheduler-name, label or all-pods, got 'everything'");
    }
}
