package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
    private static final String NS = Names.DEFAULT_VMI_NAMESPACE;

    @Test
    void theSecretsAVmiOwnsGoWithItAndNoOtherSecretDoes() {
        try (TestCluster cluster = TestCluster.start();
                GarbageCollector collector = new GarbageCollector(cluster.client(), NS)) {
            KubernetesClient client = cluster.client();
            GenericKubernetesResource doomed = vmi(client, "doomed");
            GenericKubernetesResource staying = vmi(client, "staying");
            client.resource(secret("doomed-userdata", doomed)).create();
            client.resource(secret("staying-userdata", staying)).create();
            client.resource(secret("unowned", null)).create();

            client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace(NS)
                    .withName("doomed")
                    .delete();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.secrets()
                                    .inNamespace(NS)
                                    .withName("doomed-userdata")
                                    .get()
                            == null);
            assertThat(client.secrets().inNamespace(NS).list().getItems())
                    .extracting(s -> s.getMetadata().getName())
                    .containsExactlyInAnyOrder("staying-userdata", "unowned");
        }
    }

    @Test
    void aSecretMadeAfterItsOwnerWasDeletedOrRecreatedIsCollected() {
        try (TestCluster cluster = TestCluster.start();
                GarbageCollector collector = new GarbageCollector(cluster.client(), NS)) {
            KubernetesClient client = cluster.client();
            GenericKubernetesResource gone = vmi(client, "gone");
            GenericKubernetesResource replaced = vmi(client, "replaced");
            client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace(NS)
                    .withName("gone")
                    .delete();
            client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace(NS)
                    .withName("replaced")
                    .delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                            .inNamespace(NS)
                            .list()
                            .getItems()
                            .isEmpty());
            GenericKubernetesResource successor = vmi(client, "replaced");

            client.resource(secret("gone-userdata", gone)).create();
            client.resource(secret("replaced-userdata", replaced)).create(); // names the first "replaced" by its uid
            client.resource(secret("successor-userdata", successor)).create();

            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            client.secrets().inNamespace(NS).list().getItems().size() == 1);
            assertThat(client.secrets().inNamespace(NS).list().getItems())
                    .extracting(s -> s.getMetadata().getName())
                    .containsExactly("successor-userdata");
        }
    }

    @Test
    void aSecretIsJudgedOnWhatItSaysNowNotOnAStaleCopy() {
        try (TestCluster cluster = TestCluster.start();
                GarbageCollector collector = new GarbageCollector(cluster.client(), NS)) {
            KubernetesClient client = cluster.client();
            GenericKubernetesResource first = vmi(client, "vm");
            client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace(NS)
                    .withName("vm")
                    .delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                                    .inNamespace(NS)
                                    .withName("vm")
                                    .get()
                            == null);
            GenericKubernetesResource successor = vmi(client, "vm");
            client.resource(secret("vm-userdata", successor)).create();
            // The Secret as the collector's cache held it before the provisioner made it the successor's.
            Secret stale = secret("vm-userdata", first);

            collector.collectIfOrphaned(stale); // as an event still in flight would hand it over

            Secret now =
                    client.secrets().inNamespace(NS).withName("vm-userdata").get();
            assertThat(now).isNotNull();
            assertThat(now.getMetadata().getOwnerReferences())
                    .extracting(o -> o.getUid())
                    .containsExactly(successor.getMetadata().getUid());
        }
    }

    private static GenericKubernetesResource vmi(KubernetesClient client, String name) {
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace(NS)
                .build());
        vmi.setAdditionalProperties(Map.of("spec", Map.of("domain", Map.of("devices", Map.of()))));
        return client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(NS)
                .resource(vmi)
                .create();
    }

    private static Secret secret(String name, GenericKubernetesResource owner) {
        SecretBuilder secret = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata();
        if (owner != null) {
            secret.editMetadata()
                    .addNewOwnerReference()
                    .withApiVersion("kubevirt.io/v1")
                    .withKind("VirtualMachineInstance")
                    .withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid())
                    .endOwnerReference()
                    .endMetadata();
        }
        return secret.build();
    }
}
