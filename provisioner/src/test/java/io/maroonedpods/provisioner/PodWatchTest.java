package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.reconcile.MaroonPodReconciler;
import io.maroonedpods.testcluster.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodWatchTest extends FlowCluster {

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

    /** What is asked: the API server filters by spec.nodeName itself. */
    @Test
    void aNodesPodsAreListedFreshByTheirNodeName() {
        String path = onlyRequestOf(c -> PodWatch.SCHEDULER_NAME.podsOn(c, "maroon-a"));

        assertThat(path).contains("fieldSelector=spec.nodeName%3Dmaroon-a").doesNotContain("resourceVersion");
    }

    @Test
    void theGuardWatchesOnlyBoundPodsWhereTheApiServerCanFilterThem() {
        String path = onlyRequestOf(c -> PodWatch.SCHEDULER_NAME.boundPods(c).list());
        assertThat(path).contains("fieldSelector=spec.nodeName%21%3D");

        assertThat(onlyRequestOf(c -> PodWatch.ALL_PODS.boundPods(c).list())).doesNotContain("fieldSelector");
    }

    /** The path of the one request {@code call} makes, through a client of its own. */
    private String onlyRequestOf(java.util.function.Consumer<KubernetesClient> call) {
        String userAgent = "pod-watch-test-" + toClose.size();
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(userAgent)
                        .build())
                .build();
        toClose.add(own);
        call.accept(own);
        List<TestCluster.Request> made = cluster.requestsFrom(userAgent);
        assertThat(made).hasSize(1);
        return made.get(0).path();
    }

    @Test
    void parsesTheModeNamesUsersWrite() {
        assertThat(PodWatch.parse("scheduler-name")).isEqualTo(PodWatch.SCHEDULER_NAME);
        assertThat(PodWatch.parse("ALL_PODS")).isEqualTo(PodWatch.ALL_PODS);
        assertThatThrownBy(() -> PodWatch.parse("everything"))
                .hasMessage("must be scheduler-name, label or all-pods, got 'everything'");
    }
}
