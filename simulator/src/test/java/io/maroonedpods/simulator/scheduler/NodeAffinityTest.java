package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** kube-scheduler's NodeAffinity plugin: nodeSelector, required node affinity and its PreFilter. */
class NodeAffinityTest {
    private static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
    }

    private static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, Arrays.asList(values));
    }

    private static NodeSelectorTerm labels(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTerm(List.of(expressions), null);
    }

    private static NodeSelectorTerm fields(NodeSelectorRequirement... fields) {
        return new NodeSelectorTerm(null, List.of(fields));
    }

    private static NodeAffinity required(NodeSelectorTerm... terms) {
        return NodeAffinity.of(pod(Map.of(), terms));
    }

    private static Pod pod(Map<String, String> nodeSelector, NodeSelectorTerm... terms) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(nodeSelector)
                .endSpec();
        if (terms.length > 0) {
            pod.editSpec()
                    .withNewAffinity()
                    .withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(terms)
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity()
                    .endAffinity()
                    .endSpec();
        }
        return pod.build();
    }

    @Test
    void aPodWithoutNodeSelectorOrRequiredAffinityFitsEveryNode() {
        NodeAffinity none = NodeAffinity.of(pod(Map.of()));
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.matches(node("n", Map.of()))).isTrue();
        assertThat(none.preFilter()).isEqualTo(new NodeAffinity.AllNodes());
    }

    @Test
    void theNodeSelectorNeedsEveryLabelWithItsValue() {
        NodeAffinity selector = NodeAffinity.of(pod(Map.of("disk", "ssd", "zone", "a")));
        assertThat(selector.matches(node("n", Map.of("disk", "ssd", "zone", "a", "extra", "x"))))
                .isTrue();
        assertThat(selector.matches(node("n", Map.of("disk", "ssd")))).isFalse();
        assertThat(selector.matches(node("n", Map.of("disk", "hdd", "zone", "a"))))
                .isFalse();
    }

    @Test
    void matchExpressionsOperatorsSelectAsLabelSelectorsDo() {
        Map<String, String> labels = Map.of("disk", "ssd", "cores", "8");
        Node n = node("n", labels);
        Node bare = node("n", Map.of());
        assertThat(required(labels(req("disk", "In", "ssd", "nvme"))).matches(n))
                .isTrue();
        assertThat(required(labels(req("disk", "In", "hdd"))).matches(n)).isFalse();
        assertThat(required(labels(req("disk", "NotIn", "hdd"))).matches(n)).isTrue();
        assertThat(required(labels(req("disk", "NotIn", "hdd"))).matches(bare))
                .as("NotIn holds where the label is absent")
                .isTrue();
        assertThat(required(labels(req("disk", "Exists"))).matches(n)).isTrue();
        assertThat(required(labels(req("disk", "DoesNotExist"))).matches(n)).isFalse();
        assertThat(required(labels(req("disk", "DoesNotExist"))).matches(bare)).isTrue();
        assertThat(required(labels(req("cores", "Gt", "4"))).matches(n)).isTrue();
        assertThat(required(labels(req("cores", "Lt", "4"))).matches(n)).isFalse();
        assertThat(required(labels(req("cores", "Gt", "4"))).matches(bare))
                .as("Gt needs the label")
                .isFalse();
        assertThat(required(labels(req("disk", "Gt", "4"))).matches(n))
                .as("a label that is no integer")
                .isFalse();
    }

    @Test
    void requirementsThatDoNotParseMatchNoNode() {
        Node n = node("n", Map.of("disk", "ssd", "cores", "8"));
        assertThat(required(labels(req("disk", "In"))).matches(n))
                .as("In without values")
                .isFalse();
        assertThat(required(labels(req("disk", "Exists", "ssd"))).matches(n))
                .as("Exists with values")
                .isFalse();
        assertThat(required(labels(req("cores", "Gt", "4", "5"))).matches(n))
                .as("Gt with two values")
                .isFalse();
        assertThat(required(labels(req("cores", "Gt", "four"))).matches(n))
                .as("Gt with no integer")
                .isFalse();
        assertThat(required(labels(req("disk", "Equals", "ssd"))).matches(n))
                .as("an unknown operator")
                .isFalse();
        assertThat(required(fields(req("metadata.name", "In", "n", "m"))).matches(n))
                .as("a field with two values")
                .isFalse();
    }

    @Test
    void termsAreOredAndTheRequirementsOfATermAnded() {
        Node n = node("n1", Map.of("disk", "ssd", "zone", "a"));
        assertThat(required(labels(req("disk", "In", "ssd"), req("zone", "In", "b")))
                        .matches(n))
                .isFalse();
        assertThat(required(labels(req("zone", "In", "b")), labels(req("disk", "In", "ssd")))
                        .matches(n))
                .isTrue();
        assertThat(required(new NodeSelectorTerm(
                                List.of(req("disk", "In", "ssd")), List.of(req("metadata.name", "In", "n2"))))
                        .matches(n))
                .isFalse();
        assertThat(required(new NodeSelectorTerm(null, null)).matches(n))
                .as("an empty term matches nothing")
                .isFalse();
        assertThat(NodeAffinity.of(pod(Map.of("disk", "ssd"), labels(req("zone", "In", "b"))))
                        .matches(n))
                .as("nodeSelector and affinity must both hold")
                .isFalse();
    }

    @Test
    void matchFieldsSelectNodesByName() {
        assertThat(required(fields(req("metadata.name", "In", "n1"))).matches(node("n1", Map.of())))
                .isTrue();
        assertThat(required(fields(req("metadata.name", "In", "n1"))).matches(node("n2", Map.of())))
                .isFalse();
        assertThat(required(fields(req("metadata.name", "NotIn", "n1"))).matches(node("n2", Map.of())))
                .isTrue();
        assertThat(required(fields(req("metadata.name", "Exists"))).matches(node("n1", Map.of())))
                .isFalse();
    }

    @Test
    void preFilterNarrowsToTheNodesEveryTermNamesAndFindsTermsThatConflict() {
        assertThat(required(fields(req("metadata.name", "In", "n1")), fields(req("metadata.name", "In", "n2")))
                        .preFilter())
                .isEqualTo(new NodeAffinity.OnlyNodes(Set.of("n1", "n2")));
        assertThat(required(fields(req("metadata.name", "In", "n1")), labels(req("disk", "Exists")))
                        .preFilter())
                .as("a term without a name lets every node through")
                .isEqualTo(new NodeAffinity.AllNodes());
        assertThat(required(fields(req("metadata.name", "In", "n1"), req("metadata.name", "In", "n2")))
                        .preFilter())
                .isEqualTo(new NodeAffinity.Conflict());
        assertThat(required(fields(req("metadata.name", "NotIn", "n1"))).preFilter())
                .isEqualTo(new NodeAffinity.AllNodes());
        assertThat(NodeAffinity.of(pod(Map.of("disk", "ssd"))).preFilter()).isEqualTo(new NodeAffinity.AllNodes());
    }
}
