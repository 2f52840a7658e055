package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The isolation guard (issue 17, item 2) reacts to a stranger bound to a dedicated node — no patrol: the sweep runs
 * once an hour here — and removes it whatever it does meanwhile, with Warnings on it and on the node's own pod.
 */
class IsolationGuardTest extends FlowCluster {
    private static final Duration NO_PATROL = Duration.ofHours(1);

    private ProvisionerConfig reactingOnly(List<String> allowedDaemonSets) {
        return testConfig().toBuilder()
                .sweepInterval(NO_PATROL)
                .allowedDaemonSets(allowedDaemonSets)
                .build();
    }

    @Test
    void aStrangerBoundToADedicatedNodeIsRemovedAtOnceWithWarningsOnItAndOnTheOwner() {
        startProvisioner(reactingOnly(List.of()));
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);
        bind(pod(owner), node);

        Pod stranger = createPod(stranger("stranger", node)
                .editSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .endSpec()
                .build());

        await().atMost(PATIENCE).until(() -> pod(stranger) == null);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(events(stranger))
                    .filteredOn(e -> e.getReason().equals("IsolationViolation"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getNote())
                                .contains(
                                        "removed from node " + node, "grace period 0", "dedicated to pod team-a/owner");
                    });
            assertThat(events(owner))
                    .filteredOn(e -> e.getReason().equals("IsolationViolation"))
                    .extracting(Event::getNote)
                    .singleElement()
                    .asString()
                    .contains("team-b/stranger");
        });
        assertThat(pod(owner)).as("the owner stays").isNotNull();
    }

    @Test
    void aTerminatingStrangerWithAHugeGracePeriodIsForceDeleted() {
        startProvisioner(reactingOnly(List.of()));
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);

        // Deleting with a grace period of an hour and ignoring SIGTERM would keep it running there for that hour.
        Pod stranger = createPod(stranger("lingering", node)
                .editMetadata()
                .withDeletionTimestamp(
                        java.time.Instant.now().plus(Duration.ofHours(1)).toString())
                .withDeletionGracePeriodSeconds(3600L)
                .endMetadata()
                .build());

        await().atMost(PATIENCE).until(() -> pod(stranger) == null);
        assertThat(events(stranger))
                .extracting(Event::getNote)
                .anySatisfy(n -> assertThat(n).contains("grace period 0"));
    }

    @Test
    void aKubeSystemDaemonSetIsAStrangerByDefaultAndStaysWhenAllowedByName() {
        startProvisioner(reactingOnly(ProvisionerConfig.DEFAULT_ALLOWED_DAEMONSETS));
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);

        Pod svclb = createPod(daemonSetPod("svclb-web-x7k2p", "svclb-web", node));
        await().atMost(PATIENCE).until(() -> pod(svclb) == null);
    }

    @Test
    void anAllowedDaemonSetAndTheOwnerStay() {
        startProvisioner(reactingOnly(List.of("kube-system/calico-node")));
        Pod owner = createPod("owner");
        String node = verifiedNode(owner);
        Pod cni = createPod(daemonSetPod("calico-node-abcde", "calico-node", node));
        Pod other = createPod(daemonSetPod("exporter-x", "exporter", node));

        await().atMost(PATIENCE).until(() -> pod(other) == null);
        assertThat(pod(cni)).as("allowed by namespace and name").isNotNull();
        assertThat(pod(owner)).isNotNull();
    }

    static PodBuilder stranger(String name, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team-b")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec();
    }

    private static Pod daemonSetPod(String name, String daemonSet, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("kube-system")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("DaemonSet")
                .withName(daemonSet)
                .withUid("ds-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("c")
                .withImage("agent")
                .endContainer()
                .endSpec()
                .build();
    }
}
