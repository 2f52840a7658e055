package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples do what their comments say, judged by the api's own rules. */
class ExamplesTest {

    @Test
    void examplePodOptsInByTheSchedulerName() {
        Pod pod = single("pod.yaml", Pod.class);
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo(Names.SCHEDULER_NAME);
        assertThat(OptIn.isMaroon(pod)).isTrue();
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests())
                .containsKeys("cpu", "memory");
    }

    @Test
    void mainSchedulerExampleOptsInByTheLabelOnly() {
        Pod pod = single("main-scheduler-pod.yaml", Pod.class);
        assertThat(pod.getSpec().getSchedulerName()).isNull();
        assertThat(pod.getMetadata().getLabels()).containsEntry(Names.OPT_IN_LABEL, "true");
        assertThat(OptIn.isMaroon(pod)).isTrue();
    }

    @Test
    void deploymentAndJobPodsOptIn() {
        assertThat(OptIn.isMaroon(podOf(
                        single("deployment.yaml", Deployment.class).getSpec().getTemplate())))
                .isTrue();
        assertThat(OptIn.isMaroon(podOf(single("job.yaml", Job.class).getSpec().getTemplate())))
                .isTrue();
    }

    @Test
    void theCaPinExampleHoldsNoCredentialOnlyTheCaHashAndIsNotNeededByDefault() {
        Secret secret = single("cluster-ca-pin-secret.yaml", Secret.class);
        var ref = EffectiveConfig.DEFAULT_TOKEN_SECRET;
        assertThat(secret.getMetadata().getNamespace()).isEqualTo(ref.namespace());
        assertThat(secret.getStringData()).containsOnlyKeys(ref.key());
        assertThat(secret.getStringData().get(ref.key())).startsWith("K10").endsWith("::");
        assertThat(Repo.EXAMPLES.resolve("cluster-ca-pin-secret.yaml"))
                .content()
                .doesNotContain("node-token")
                .contains("refuses the server token");
    }

    @Test
    void exampleConfigIsValidWithKernelBootAndAWarmPool() {
        MaroonedPodsConfig config = single("maroonedpodsconfig.yaml", MaroonedPodsConfig.class);
        assertThat(config.getMetadata().getName()).isEqualTo(Names.CONFIG_NAME);
        EffectiveConfig effective = EffectiveConfig.of(config.getSpec());
        assertThat(effective.enableKernelBoot()).isTrue();
        assertThat(effective.warmPoolSize()).isPositive();
        assertThat(effective.nodeNetworkAttachment())
                .as("the node LAN: the pod network serves one host only")
                .isEqualTo(Names.DEFAULT_VMI_NAMESPACE + "/node-lan");
        assertThat(effective.networkBinding())
                .as("masquerade gives every VM the same address")
                .isNotEqualTo("masquerade");
        // The RBAC in the base is scoped to these: the example must not move them.
        assertThat(effective.vmNamespace()).isEqualTo(Names.DEFAULT_VMI_NAMESPACE);
        assertThat(effective.tokenSecretRef())
                .as("no join token: each VM gets its own")
                .isNull();
    }

    private static Pod podOf(PodTemplateSpec template) {
        return new PodBuilder()
                .withMetadata(template.getMetadata())
                .withSpec(template.getSpec())
                .build();
    }

    private static <T> T single(String file, Class<T> type) {
        Path path = Repo.EXAMPLES.resolve(file);
        var docs = StrictYaml.typedDocuments(path);
        assertThat(docs).as(file).singleElement().isInstanceOf(type);
        return type.cast(docs.getFirst());
    }
}
