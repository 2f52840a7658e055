package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Workloads;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node forged under a real kubelet identity: whoever holds a join token gets a {@code system:node:<name>}
 * certificate for any name, so it can register {@code maroon-<uid>} before the pod's VM does. NodeRestriction keeps it
 * from giving itself the restricted label, and the provisioner, comparing it with the VMI it created, never gives it
 * that label either: the pod is never bound to it.
 */
@ExtendWith(RealClusterExtension.class)
class ForgedNodeTest {
    @Test
    void aNodeRegisteredUnderThePodsNodeNameWithTheWrongAddressIsRejectedAndNeverUsed(ControlPlane plane) {
        // Long boots: the forger registers first.
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(30)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            Pod pod = admin.resource(Workloads.pod("target")
                            .editSpec()
                            .withSchedulerName(Names.SCHEDULER_NAME)
                            .endSpec()
                            .build())
                    .create();
            String uid = pod.getMetadata().getUid();
            String name = Names.nodeName(uid);
            install.await(
                    "the pod's VMI created",
                    Duration.ofSeconds(60),
                    () -> install.timeline().pods().stream().anyMatch(f -> f.vmiCreated >= 0));

            try (KubernetesClient forger = plane.nodeIdentity(name).client()) {
                assertThatThrownBy(() ->
                                forger.nodes().resource(forged(name, uid, true)).create())
                        .as("NodeRestriction refuses a kubelet's own node-restriction.kubernetes.io label")
                        .isInstanceOfSatisfying(
                                KubernetesClientException.class,
                                e -> assertThat(e.getCode()).isEqualTo(403));
                forger.nodes().resource(forged(name, uid, false)).create();
            }
            install.await(
                    "NodeRejected recorded on the pod",
                    Duration.ofSeconds(60),
                    () -> admin.events().v1().events().inNamespace(Installation.TENANT).list().getItems().stream()
                            .anyMatch(e -> "NodeRejected".equals(e.getReason())
                                    && e.getNote().contains("10.66.0.1")));

            Node node = admin.nodes().withName(name).get();
            assertThat(node.getMetadata().getLabels()).doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
            Pod now = admin.pods()
                    .inNamespace(Installation.TENANT)
                    .withName("target")
                    .get();
            assertThat(now.getSpec().getNodeName()).as("the pod stays unbound").isNullOrEmpty();
        }
    }

    /** What a rogue agent registers: the pod's node name, its self-label and taint, Ready, but its own address. */
    private static Node forged(String name, String uid, boolean withRestrictedLabel) {
        NodeBuilder node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(Names.POD_UID_LABEL, uid)
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(Names.dedicatedTaintKey(Names.DEFAULT_TAINT_KEY))
                .withValue(uid)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("10.66.0.1")
                .endAddress()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus();
        if (withRestrictedLabel) {
            node.editMetadata().addToLabels(Names.VERIFIED_POD_UID_LABEL, uid).endMetadata();
        }
        return node.build();
    }
}
