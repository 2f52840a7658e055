package io.maroonedpods.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.testcluster.TestCluster;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeVirtFacadeTest {
    static final String NS = "maroonedpods-nodes";
    static final ResourceDefinitionContext VMI_CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io")
            .withVersion("v1")
            .withKind("VirtualMachineInstance")
            .withPlural("virtualmachineinstances")
            .withNamespaced(true)
            .build();

    TestCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void startCluster() {
        cluster = TestCluster.start(NS);
        client = cluster.client();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void editThroughTheTypedFacadeKeepsFieldsKubeVirtAddedOnTheServer() throws Exception {
        GenericKubernetesResource raw = Serialization.unmarshal(
                VirtualMachineInstanceRoundTripTest.runningVmiJson(), GenericKubernetesResource.class);
        client.genericKubernetesResources(VMI_CONTEXT)
                .inNamespace(NS)
                .resource(raw)
                .create();
        String name = raw.getMetadata().getName();

        KubeVirt.vmis(client, NS).withName(name).edit(vmi -> {
            vmi.getMetadata().getLabels().put("edited", "yes");
            return vmi;
        });

        GenericKubernetesResource after = client.genericKubernetesResources(VMI_CONTEXT)
                .inNamespace(NS)
                .withName(name)
                .get();
        assertThat(after.getMetadata().getLabels()).containsEntry("edited", "yes");
        assertThat(after.<Object>get("spec", "domain", "machine", "type")).isEqualTo("q35");
        assertThat(after.<Object>get("spec", "domain", "cpu", "maxSockets")).isEqualTo(4);
        assertThat(after.<Object>get("status", "guestOSInfo", "id")).isEqualTo("centos");
    }

    @Test
    void createListWatchAndDeleteTypedVmis() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch ignored = KubeVirt.vmis(client, NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, VirtualMachineInstance vmi) {
                seen.add(action + " " + vmi.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            VirtualMachineInstance vmi = new VirtualMachineInstance();
            vmi.getMetadata().setName("maroon-a");
            vmi.setSpec(new VmiSpec());
            vmi.getSpec().hostname = "maroon-a";
            KubeVirt.vmis(client, NS).resource(vmi).create();

            assertThat(KubeVirt.vmis(client, NS).list().getItems())
                    .extracting(v -> v.getSpec().hostname)
                    .containsExactly("maroon-a");
            assertThat(KubeVirt.allVmis(client).inAnyNamespace().list().getItems())
                    .hasSize(1);
            KubeVirt.vmis(client, NS).withName("maroon-a").delete();
            assertThat(KubeVirt.vmis(client, NS).withName("maroon-a").get()).isNull();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(seen).containsExactly("ADDED maroon-a", "DELETED maroon-a");
        }
    }
}
