package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import org.junit.jupiter.api.Test;

/** Issue 7: a pod that is not the dedicated pod, bound to a dedicated node, is evicted and both pods hear of it. */
class IsolationGuardTest extends MockCluster {

    @Test
    void aStrangerOnADedicatedNodeIsEvictedWithWarningsOnItAndOnTheOwner() {
        startProvisioner();
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);
        Pod stranger = createPod(new PodBuilder().withNewMetadata().withName("stranger").withNamespace("team-b")
                .endMetadata().withNewSpec().withNodeName(node).addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build());
        Pod cni = createPod(new PodBuilder().withNewMetadata().withName("calico-node-abcde").withNamespace("kube-system")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("calico-node")
                .withUid("ds-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("calico").endContainer()
                .endSpec().build());
        client.pods().resource(pod(owner)).edit(p -> {
            p.getSpec().setNodeName(node);
            return p;
        });

        await().atMost(PATIENCE).until(() -> pod(stranger) == null);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(events(stranger)).filteredOn(e -> e.getReason().equals("IsolationViolation")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getNote()).contains("dedicated to pod team-a/owner");
                    });
            assertThat(events(owner)).filteredOn(e -> e.getReason().equals("IsolationViolation"))
                    .extracting(Event::getNote).singleElement().asString().contains("team-b/stranger");
        });
        assertThat(pod(cni)).as("an allowed DaemonSet stays").isNotNull();
        assertThat(pod(owner)).as("the owner stays").isNotNull();
    }

    @Test
    void aDaemonSetThatIsNotAllowedIsEvictedToo() {
        startProvisioner(testConfig().toBuilder().allowedDaemonSets(java.util.List.of()).build());
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);
        Pod daemon = createPod(new PodBuilder().withNewMetadata().withName("exporter-x").withNamespace("kube-system")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("exporter")
                .withUid("ds-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("exp").endContainer()
                .endSpec().build());

        await().atMost(PATIENCE).until(() -> pod(daemon) == null);
    }
}
