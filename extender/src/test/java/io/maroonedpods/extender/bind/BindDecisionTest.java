package io.maroonedpods.extender.bind;

import static io.maroonedpods.extender.Fixtures.OTHER_UID;
import static io.maroonedpods.extender.Fixtures.OWN_NODE;
import static io.maroonedpods.extender.Fixtures.UID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.bind.BindVerdict.Action;
import io.maroonedpods.extender.wire.ExtenderBindingArgs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindDecisionTest {
    static final ExtenderBindingArgs ARGS = new ExtenderBindingArgs("web", "team-a", UID, OWN_NODE);

    static Pod pod() {
        return Fixtures.apiPod("web", UID, Names.SCHEDULER_NAME);
    }

    static BindVerdict decide(Pod pod, Node node) {
        return BindDecision.decide(ARGS, pod, node, Names.SCHEDULER_NAME);
    }

    @Test
    void bindsAMaroonPodToItsVerifiedNode() {
        assertEquals(
                Action.BIND,
                decide(pod(), Fixtures.verifiedApiNode(OWN_NODE, UID)).action());
    }

    @Test
    void aRetryForTheNodeThePodIsAlreadyOnSucceeds() {
        Pod bound = pod();
        bound.getSpec().setNodeName(OWN_NODE);
        assertEquals(
                Action.ALREADY_BOUND,
                decide(bound, Fixtures.verifiedApiNode(OWN_NODE, UID)).action());
    }

    @Test
    void refusesWithAReasonNamingWhatIsWrong() {
        Node verified = Fixtures.verifiedApiNode(OWN_NODE, UID);
        Pod elsewhere = pod();
        elsewhere.getSpec().setNodeName("worker-1");
        Pod deleting = pod();
        deleting.getMetadata().setDeletionTimestamp("2026-11-25T08:00:00Z");
        Pod ordinary = Fixtures.apiPod("web", UID, "default-scheduler");

        assertEquals("pod team-a/web not found", decide(null, verified).reason());
        assertEquals(
                "pod team-a/web has UID " + OTHER_UID + ", not " + UID + " (recreated under the same name)",
                decide(Fixtures.apiPod("web", OTHER_UID, Names.SCHEDULER_NAME), verified)
                        .reason());
        assertEquals(
                "pod team-a/web is already bound to node worker-1",
                decide(elsewhere, verified).reason());
        assertEquals(
                "pod team-a/web is being deleted", decide(deleting, verified).reason());
        assertEquals(
                "pod team-a/web is not a maroon pod: this extender binds only maroon pods",
                decide(ordinary, verified).reason());
        assertEquals("node " + OWN_NODE + " not found", decide(pod(), null).reason());
    }

    @Test
    void bindRefusesANodeThatLabelledItself() {
        Node selfLabelled = Fixtures.apiNode(OWN_NODE, Map.of(Names.POD_UID_LABEL, UID), true);
        assertEquals(
                "node " + OWN_NODE + " labelled itself for this pod but is not verified",
                decide(pod(), selfLabelled).reason());
    }

    @Test
    void bindRefusesAnotherPodsNodeAndAnOrdinaryNode() {
        assertEquals(
                "node " + OWN_NODE + " is dedicated to another pod",
                decide(pod(), Fixtures.verifiedApiNode(OWN_NODE, OTHER_UID)).reason());
        assertEquals(
                "node " + OWN_NODE + " is not the pod's verified dedicated node",
                decide(pod(), Fixtures.apiNode(OWN_NODE, Map.of(), true)).reason());
    }

    @Test
    void bindRefusesANodeBeingDeleted() {
        Node deleting = Fixtures.verifiedApiNode(OWN_NODE, UID);
        deleting.getMetadata().setDeletionTimestamp("2026-11-25T08:00:00Z");
        assertEquals(
                "node " + OWN_NODE + " is being deleted",
                decide(pod(), deleting).reason());
    }
}
