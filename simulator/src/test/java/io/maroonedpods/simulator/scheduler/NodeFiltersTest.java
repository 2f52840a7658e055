package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeFiltersTest {
    private static Node node(boolean ready, boolean unschedulable, Taint... taints) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("n")
                .endMetadata()
                .withNewSpec()
                .withUnschedulable(unschedulable)
                .withTaints(taints)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    private static Pod pod(Toleration... tolerations) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .withTolerations(tolerations)
                .endSpec()
                .build();
    }

    private static Taint taint(String key, String value, String effect) {
        return new Taint(effect, key, null, value);
    }

    @Test
    void aReadyUntaintedNodePasses() {
        assertThat(NodeFilters.reject(pod(), node(true, false))).isEmpty();
    }

    @Test
    void anUntoleratedNoScheduleTaintRejectsWithKubeSchedulersWording() {
        assertThat(NodeFilters.reject(pod(), node(true, false, taint("maroonedpods.io/dedicated", "u1", "NoSchedule"))))
                .contains("node(s) had untolerated taint {maroonedpods.io/dedicated: u1}");
    }

    @Test
    void noExecuteTaintsFilterAndPreferNoScheduleDoesNot() {
        assertThat(NodeFilters.reject(pod(), node(true, false, taint("k", "v", "NoExecute"))))
                .isPresent();
        assertThat(NodeFilters.reject(pod(), node(true, false, taint("k", "v", "PreferNoSchedule"))))
                .isEmpty();
    }

    @Test
    void theExactTolerationOfTheProvisionerAdmitsOnlyItsOwnNode() {
        Pod pod = pod(new Toleration("NoSchedule", "maroonedpods.io/dedicated", "Equal", null, "u1"));
        assertThat(NodeFilters.reject(pod, node(true, false, taint("maroonedpods.io/dedicated", "u1", "NoSchedule"))))
                .isEmpty();
        assertThat(NodeFilters.reject(pod, node(true, false, taint("maroonedpods.io/dedicated", "u2", "NoSchedule"))))
                .isPresent();
    }

    @Test
    void anExistsTolerationWithoutKeyToleratesEverything() {
        Pod pod = pod(new Toleration(null, null, "Exists", null, null));
        assertThat(NodeFilters.reject(
                        pod, node(true, false, taint("a", "b", "NoSchedule"), taint("c", "", "NoExecute"))))
                .isEmpty();
    }

    @Test
    void notReadyAndUnschedulableNodesAreRejected() {
        assertThat(NodeFilters.reject(pod(), node(false, false))).contains("node(s) were not ready");
        assertThat(NodeFilters.reject(pod(), node(true, true))).contains("node(s) were unschedulable");
        Pod tolerant = pod(new Toleration("NoSchedule", NodeFilters.UNSCHEDULABLE_TAINT, "Exists", null, null));
        assertThat(NodeFilters.reject(tolerant, node(true, true))).isEmpty();
    }

    private static Node labelled(String name, Map<String, String> labels, Taint... taints) {
        return new NodeBuilder(node(true, false, taints))
                .editMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
    }

    private static Pod selecting(Map<String, String> nodeSelector, Toleration... tolerations) {
        return new PodBuilder(pod(tolerations))
                .editSpec()
                .withNodeSelector(nodeSelector)
                .endSpec()
                .build();
    }

    @Test
    void nodeAffinityRunsAfterTaintTolerationSoATaintedNodeShowsTheTaint() {
        Pod pod = selecting(Map.of("disk", "ssd"));
        assertThat(NodeFilters.reject(pod, labelled("n", Map.of())))
                .contains("node(s) didn't match Pod's node affinity/selector");
        assertThat(NodeFilters.reject(pod, labelled("n", Map.of(), taint("k", "v", "NoSchedule"))))
                .contains("node(s) had untolerated taint {k: v}");
        assertThat(NodeFilters.reject(pod, labelled("n", Map.of("disk", "ssd"))))
                .isEmpty();
        assertThat(NodeFilters.reject(
                        pod,
                        new NodeBuilder(labelled("n", Map.of()))
                                .editSpec()
                                .withUnschedulable(true)
                                .endSpec()
                                .build()))
                .contains("node(s) were unschedulable");
    }

    @Test
    void nodesOutsideTheNodeNamesOfTheAffinityAreLeftOutWithKubeSchedulersReason() {
        Pod pod = new PodBuilder(pod())
                .editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchField()
                .withKey("metadata.name")
                .withOperator("In")
                .withValues("n1")
                .endMatchField()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .endSpec()
                .build();
        List<Node> nodes = List.of(labelled("n1", Map.of()), labelled("n2", Map.of()), labelled("n3", Map.of()));

        NodeFilters.Outcome outcome = NodeFilters.filter(pod, nodes, Map.of());

        assertThat(outcome.feasible())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("n1");
        assertThat(FailureMessage.of(3, outcome.reasons()))
                .isEqualTo("0/3 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
    }

    @Test
    void affinityTermsThatNameNoCommonNodeRejectThePodBeforeAnyNodeIsLookedAt() {
        Pod pod = new PodBuilder(pod())
                .editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchField()
                .withKey("metadata.name")
                .withOperator("In")
                .withValues("n1")
                .endMatchField()
                .addNewMatchField()
                .withKey("metadata.name")
                .withOperator("In")
                .withValues("n2")
                .endMatchField()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .endSpec()
                .build();

        NodeFilters.Outcome outcome =
                NodeFilters.filter(pod, List.of(labelled("n1", Map.of()), labelled("n2", Map.of())), Map.of());

        assertThat(outcome.feasible()).isEmpty();
        assertThat(FailureMessage.preFilter(2, outcome.preFilterFailure()))
                .isEqualTo("0/2 nodes are available: pod affinity terms conflict.");
    }

    @Test
    void failureMessagesCountReasonsLikeKubeScheduler() {
        assertThat(FailureMessage.of(
                        5,
                        Map.of(
                                "w1",
                                "node(s) had untolerated taint {a: b}",
                                "w2",
                                "node(s) had untolerated taint {a: b}",
                                "m1",
                                "dedicated VM node m1 is booting")))
                .isEqualTo(
                        "0/5 nodes are available: 1 dedicated VM node m1 is booting, 2 node(s) had untolerated taint {a: b}.");
        assertThat(FailureMessage.of(0, Map.of())).isEqualTo("0/0 nodes are available.");
    }
}
