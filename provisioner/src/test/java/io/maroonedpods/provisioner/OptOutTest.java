package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.K3sToken;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Removing the opt-in label from a pod not yet on its node takes its VM (and its live token) away. */
class OptOutTest extends FlowCluster {

    @Test
    void removingTheOptInLabelFromAPendingPodTearsItsVmDownAndOpensItsGate() {
        startProvisioner();
        assertOptOutTearsDown(createLabelledPod("labelled"));
    }

    @Test
    void removingTheOptInLabelTearsTheVmDownWhenOnlyLabelledPodsAreWatched() {
        startProvisioner(testConfig().toBuilder().podWatch(PodWatch.LABEL).build());
        assertOptOutTearsDown(createLabelledPod("labelled"));
    }

    @Test
    void aPodAlreadyOnItsNodeKeepsItsVmWhenTheLabelIsRemoved() {
        startProvisioner();
        Pod pod = createLabelledPod("running");
        String node = verifiedNode(pod);
        agent.markReady(pod.getMetadata().getUid()); // the gate opens: the pod may be bound
        bind(pod, node);
        editPod(pod, p -> {
            p.getMetadata().getLabels().remove(Names.OPT_IN_LABEL);
            return p;
        });

        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> vmi(pod) != null);
        assertThat(reasons(pod)).doesNotContain("TornDown");
    }

    private void assertOptOutTearsDown(Pod pod) {
        awaitRunningVmi(pod);
        String id = K3sToken.parse(agent.joinInfo(pod.getMetadata().getUid()).token())
                .bootstrap()
                .id();

        editPod(pod, p -> {
            p.getMetadata().getLabels().remove(Names.OPT_IN_LABEL);
            return p;
        });

        await().atMost(PATIENCE).until(() -> vmi(pod) == null);
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("TornDown"));
        assertThat(events(pod))
                .filteredOn(e -> "TornDown".equals(e.getReason()))
                .anySatisfy(e -> assertThat(e.getNote()).contains("no longer opts in"));
        assertThat(bootstrapSecret(id)).isNull();
        assertThat(passwordSecret(Names.nodeName(pod.getMetadata().getUid()))).isNull();
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(pod(pod).getSpec().getSchedulingGates()).isEmpty());
    }

    private Pod createLabelledPod(String name) {
        return createPod(new PodBuilder(ProvisioningFlowTest.podTemplate(name))
                .editMetadata()
                .withLabels(Map.of(Names.OPT_IN_LABEL, "true"))
                .endMetadata()
                .editSpec()
                .withSchedulerName("default-scheduler")
                .addNewSchedulingGate()
                .withName(Names.SCHEDULING_GATE)
                .endSchedulingGate()
                .endSpec()
                .build());
    }
}
