package io.maroonedpods.extender.nodes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.filter.NodeFacts;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The informer view follows nodes and VMIs as they are created, relabelled and deleted. */
class InformerViewTest {
    static final String UID = Fixtures.UID;
    static final String NODE = Fixtures.OWN_NODE;

    @Test
    void followsLabelChangesAndDeletionsOfDedicatedNodes() {
        try (TestCluster api = TestCluster.start("team-a");
                InformerView view = InformerView.start(api.client(), "maroonedpods-nodes", Names.DEDICATED_TAINT)) {
            await().atMost(Duration.ofSeconds(10)).until(view::synced);
            api.client()
                    .nodes()
                    .resource(Fixtures.apiNode(NODE, Map.of(Names.POD_UID_LABEL, UID), false))
                    .create();
            api.client()
                    .nodes()
                    .resource(Fixtures.apiNode("worker-1", Map.of(), true))
                    .create();
            awaitFacts(view, NODE, facts -> facts != null && UID.equals(facts.selfPodUid()));
            assertNull(view.dedicatedNode(NODE).verifiedPodUid(), "only self-labelled so far");
            assertNull(view.dedicatedNode("worker-1"), "ordinary nodes are not cached");

            Node verified = api.client().nodes().withName(NODE).get();
            verified.getMetadata().getLabels().put(Names.VERIFIED_POD_UID_LABEL, UID);
            api.client().nodes().resource(verified).update();
            // Ready comes through nodes/status, as the kubelet posts it (a main-resource update keeps the status).
            Node ready = api.client().nodes().withName(NODE).get();
            ready.getStatus().getConditions().get(0).setStatus("True");
            api.client().nodes().resource(ready).updateStatus();
            awaitFacts(view, NODE, facts -> facts != null && facts.verifiedFor(UID) && facts.ready());

            Node unverified = api.client().nodes().withName(NODE).get();
            unverified.getMetadata().getLabels().remove(Names.VERIFIED_POD_UID_LABEL);
            api.client().nodes().resource(unverified).update();
            awaitFacts(view, NODE, facts -> facts != null && facts.verifiedPodUid() == null);

            api.client().nodes().withName(NODE).delete();
            awaitFacts(view, NODE, Objects::isNull);
            assertEquals(0, view.cachedNodes());
        }
    }

    @Test
    void saysWhetherAnyDedicatedNodeIsNamedOtherwiseThanMaroon() {
        try (TestCluster api = TestCluster.start("team-a");
                InformerView view = InformerView.start(api.client(), "maroonedpods-nodes", Names.DEDICATED_TAINT)) {
            api.client().nodes().resource(Fixtures.verifiedApiNode(NODE, UID)).create();
            awaitFacts(view, NODE, Objects::nonNull);
            assertFalse(view.holdsNodesNamedOtherwise(), "only maroon-… nodes cached");

            api.client()
                    .nodes()
                    .resource(Fixtures.apiNode("edge-1", Map.of(Names.POD_UID_LABEL, UID), true))
                    .create();
            awaitFacts(view, "edge-1", Objects::nonNull);
            assertTrue(view.holdsNodesNamedOtherwise(), "edge-1 labelled itself");

            Node unlabelled = api.client().nodes().withName("edge-1").get();
            unlabelled.getMetadata().getLabels().remove(Names.POD_UID_LABEL);
            api.client().nodes().resource(unlabelled).update();
            awaitFacts(view, "edge-1", Objects::isNull);
            assertFalse(view.holdsNodesNamedOtherwise(), "edge-1 is an ordinary node again");
        }
    }

    @Test
    void cachesEveryDedicatedNodeOfAPagedList() {
        int nodes = (int) InformerView.LIST_PAGE * 2 + 50;
        try (TestCluster api = TestCluster.start("team-a")) {
            for (int i = 0; i < nodes; i++) {
                String uid = java.util
                        .UUID
                        .nameUUIDFromBytes(("paged-" + i).getBytes())
                        .toString();
                api.client()
                        .nodes()
                        .resource(Fixtures.verifiedApiNode(Names.nodeName(uid), uid))
                        .create();
            }
            try (InformerView view = InformerView.start(api.client(), "maroonedpods-nodes", Names.DEDICATED_TAINT)) {
                await().atMost(Duration.ofSeconds(20)).until(view::synced);
                assertEquals(nodes, view.cachedNodes());
                // Two informers (verified label, self label) list these nodes, in three pages each.
                assertEquals(4, api.continuedListRequests(), "list pages requested with a continue token");
            }
        }
    }

    @Test
    void followsTheVmiPhaseOfEachPod() {
        ResourceDefinitionContext vmis = new ResourceDefinitionContext.Builder()
                .withGroup("kubevirt.io")
                .withVersion("v1")
                .withKind("VirtualMachineInstance")
                .withPlural("virtualmachineinstances")
                .withNamespaced(true)
                .build();
        try (TestCluster api = TestCluster.start("team-a");
                InformerView view = InformerView.start(api.client(), "maroonedpods-nodes", Names.DEDICATED_TAINT)) {
            GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                    .withApiVersion("kubevirt.io/v1")
                    .withKind("VirtualMachineInstance")
                    .withNewMetadata()
                    .withName(NODE)
                    .withNamespace("maroonedpods-nodes")
                    .addToLabels(Names.POD_UID_LABEL, UID)
                    .endMetadata()
                    .addToAdditionalProperties(
                            "status",
                            Map.of(
                                    "phase",
                                    "Scheduled",
                                    "phaseTransitionTimestamps",
                                    List.of(Map.of(
                                            "phase", "Scheduled", "phaseTransitionTimestamp", "2026-11-25T08:00:00Z"))))
                    .build();
            api.client()
                    .genericKubernetesResources(vmis)
                    .inNamespace("maroonedpods-nodes")
                    .resource(vmi)
                    .create();
            await().atMost(Duration.ofSeconds(10)).until(() -> view.vmiOf(UID) != null);
            assertEquals("Scheduled", view.vmiOf(UID).phase());
            assertEquals("2026-11-25T08:00:00Z", view.vmiOf(UID).since().toString());

            api.client()
                    .genericKubernetesResources(vmis)
                    .inNamespace("maroonedpods-nodes")
                    .withName(NODE)
                    .delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> view.vmiOf(UID) == null);
        }
    }

    private static void awaitFacts(InformerView view, String name, java.util.function.Predicate<NodeFacts> wanted) {
        await().atMost(Duration.ofSeconds(10)).until(() -> wanted.test(view.dedicatedNode(name)));
    }
}
