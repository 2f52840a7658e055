package io.maroonedpods.extender.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maroonedpods.api.Names;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {
    static final String UID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
    static final String OTHER = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    static final String OWN = Names.nodeName(UID);
    static final Instant NOW = Instant.parse("2026-11-25T08:00:23Z");

    static final PodBeingScheduled MAROON = new PodBeingScheduled(UID, "team-a", "web", true, false);
    static final PodBeingScheduled ORDINARY = new PodBeingScheduled(OTHER, "team-a", "api", false, false);
    static final PodBeingScheduled DAEMON = new PodBeingScheduled(OTHER, "kube-system", "agent", false, true);

    /** A small informer view: nodes by name and VMIs by pod UID. */
    static final class FakeView implements NodeView {
        final Map<String, NodeFacts> nodes = new HashMap<>();
        final Map<String, VmiState> vmis = new HashMap<>();

        FakeView with(NodeFacts node) {
            nodes.put(node.name(), node);
            return this;
        }

        @Override
        public NodeFacts dedicatedNode(String name) {
            return nodes.get(name);
        }

        @Override
        public VmiState vmiOf(String podUid) {
            return vmis.get(podUid);
        }
    }

    static NodeFacts verified(String name, String uid) {
        return new NodeFacts(name, uid, uid, false, true, true, false, false);
    }

    static NodeFacts ordinary(String name) {
        return new NodeFacts(name, null, null, false, false, true, false, false);
    }

    static FilterDecision byNames(PodBeingScheduled pod, FakeView view, String... names) {
        return Filter.decide(pod, new NodeNameCandidates(List.of(names), view), view, NOW, false);
    }

    @Test
    void filterPassesOnlyTheVerifiedDedicatedNode() {
        FakeView view = new FakeView().with(verified(OWN, UID)).with(verified(Names.nodeName(OTHER), OTHER));
        FilterDecision decision = byNames(MAROON, view, "worker-1", OWN, Names.nodeName(OTHER));

        assertEquals(1, decision.passedCount());
        assertTrue(decision.passes(1));
        assertEquals("not the pod's dedicated node " + OWN, decision.rejection(0));
        assertEquals("dedicated to another pod", decision.rejection(2));
    }

    @Test
    void aNodeThatOnlyLabelledItselfNeverPasses() {
        NodeFacts selfLabelled = new NodeFacts(OWN, null, UID, false, true, true, false, false);
        FilterDecision decision = byNames(MAROON, new FakeView().with(selfLabelled), OWN, "worker-1");

        assertEquals(0, decision.passedCount());
        assertEquals("dedicated node " + OWN + " registered, not verified yet", decision.rejection(0));
        assertEquals("dedicated node " + OWN + " registered, not verified yet", decision.rejection(1));
    }

    @Test
    void aForgedNodeClaimingThePodUnderAnotherNameNeverPasses() {
        NodeFacts forged = new NodeFacts("evil", null, UID, false, true, true, false, false);
        FilterDecision decision = byNames(MAROON, new FakeView().with(forged), "evil");

        assertFalse(decision.passes(0));
    }

    @Test
    void theVerifiedNodeIsRejectedWhileNotReadyCordonedOrDeleting() {
        NodeFacts notReady = new NodeFacts(OWN, UID, UID, false, true, false, false, false);
        NodeFacts cordoned = new NodeFacts(OWN, UID, UID, false, true, true, true, false);
        NodeFacts deleting = new NodeFacts(OWN, UID, UID, false, true, true, false, true);

        assertEquals(
                "dedicated node " + OWN + " not Ready",
                byNames(MAROON, new FakeView().with(notReady), OWN).rejection(0));
        assertEquals(
                "dedicated node " + OWN + " is cordoned",
                byNames(MAROON, new FakeView().with(cordoned), OWN).rejection(0));
        assertEquals(
                "dedicated node " + OWN + " is being deleted",
                byNames(MAROON, new FakeView().with(deleting), OWN).rejection(0));
    }

    @Test
    void ordinaryNodesSayWhatThePodIsWaitingFor() {
        FakeView view = new FakeView();
        assertEquals(
                "no verified dedicated node yet: no VMI " + OWN + " yet",
                byNames(MAROON, view, "worker-1").rejection(0));

        view.vmis.put(UID, new VmiState("Scheduled", Instant.parse("2026-11-25T08:00:00Z")));
        FilterDecision decision = byNames(MAROON, view, "worker-1", "worker-2");
        assertEquals("no verified dedicated node yet: VMI phase Scheduled for 23s", decision.rejection(0));
        // The same String instance for every ordinary node: computed once per request.
        assertTrue(decision.rejection(0) == decision.rejection(1));
    }

    @Test
    void anUnclaimedPoolNodeIsNamedAsSuch() {
        NodeFacts pool = new NodeFacts("maroon-pool-abc", null, null, true, true, true, false, false);
        assertEquals(
                "unclaimed warm-pool node",
                byNames(MAROON, new FakeView().with(pool), "maroon-pool-abc").rejection(0));
    }

    @Test
    void aMaroonNamedNodeUnknownToTheCacheIsNotTrusted() {
        FilterDecision decision = byNames(MAROON, new FakeView(), OWN, Names.nodeName(OTHER));
        assertEquals("dedicated node " + OWN + " registered, not verified yet", decision.rejection(0));
        assertEquals("dedicated to another pod", decision.rejection(1));
    }

    @Test
    void aPodWithoutUidPassesNothing() {
        PodBeingScheduled noUid = new PodBeingScheduled(null, "team-a", "web", true, false);
        FilterDecision decision = byNames(noUid, new FakeView().with(verified(OWN, UID)), OWN, "worker-1");
        assertEquals(0, decision.passedCount());
        assertEquals("pod has no metadata.uid", decision.rejection(0));
    }

    @Test
    void otherPodsPassOrdinaryNodesAndNeverDedicatedOnes() {
        NodeFacts taintedOnly = new NodeFacts("tainted", null, null, false, true, true, false, false);
        FakeView view = new FakeView()
                .with(verified(OWN, UID))
                .with(taintedOnly)
                .with(new NodeFacts("pool-1", null, null, true, false, true, false, false));
        FilterDecision decision =
                byNames(ORDINARY, view, "worker-1", OWN, "tainted", "pool-1", "maroon-unknown", "worker-2");

        assertTrue(decision.passes(0));
        assertTrue(decision.passes(5));
        for (int i = 1; i <= 4; i++) {
            assertEquals("dedicated node, reserved for its maroon pod", decision.rejection(i), "candidate " + i);
        }
    }

    @Test
    void daemonSetPodsPassDedicatedNodesOnlyWhenAllowed() {
        FakeView view = new FakeView().with(verified(OWN, UID));
        NodeNameCandidates nodes = new NodeNameCandidates(List.of(OWN, "worker-1"), view);

        assertFalse(Filter.decide(DAEMON, nodes, view, NOW, false).passes(0));
        assertTrue(Filter.decide(DAEMON, nodes, view, NOW, true).passes(0));
        assertFalse(Filter.decide(ORDINARY, nodes, view, NOW, true).passes(0));
    }

    @Test
    void fullNodeFactsDecideWithoutTheCache() {
        // In full-Nodes mode the scheduler's copy is authoritative, even when our cache disagrees.
        CandidateNodes sent = new CandidateNodes() {
            final List<NodeFacts> nodes = List.of(ordinary("worker-1"), verified(OWN, UID));

            @Override
            public int size() {
                return nodes.size();
            }

            @Override
            public String name(int index) {
                return nodes.get(index).name();
            }

            @Override
            public NodeFacts facts(int index) {
                return nodes.get(index);
            }
        };
        FilterDecision decision = Filter.decide(MAROON, sent, new FakeView(), NOW, false);
        assertFalse(decision.passes(0));
        assertNull(decision.rejection(1));
    }

    @Test
    void prioritizeScoresTheDedicatedNodeTenAndOthersZero() {
        FakeView view = new FakeView().with(verified(OWN, UID)).with(verified(Names.nodeName(OTHER), OTHER));
        int[] scores = Prioritize.scores(
                MAROON, new NodeNameCandidates(List.of("worker-1", OWN, Names.nodeName(OTHER)), view));
        assertEquals(List.of(0, 10, 0), List.of(scores[0], scores[1], scores[2]));
        assertEquals(0, Prioritize.scores(ORDINARY, new NodeNameCandidates(List.of(OWN), view))[0]);
    }

    @Test
    void preemptionNeverTargetsAnotherPodsDedicatedNode() {
        NodeFacts own = verified(OWN, UID);
        NodeFacts other = verified(Names.nodeName(OTHER), OTHER);

        assertTrue(Preempt.keepsCandidate(MAROON, OWN, own));
        assertFalse(Preempt.keepsCandidate(MAROON, other.name(), other));
        assertFalse(Preempt.keepsCandidate(MAROON, "maroon-unknown", null));
        assertTrue(Preempt.keepsCandidate(MAROON, "worker-1", null));
        assertFalse(Preempt.keepsCandidate(ORDINARY, OWN, own));
        assertTrue(Preempt.keepsCandidate(ORDINARY, "worker-1", null));
    }
}
