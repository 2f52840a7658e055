package io.maroonedpods.provisioner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.maroonedpods.api.Tolerations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeReadinessTest {
    private static final Toleration OWN =
            new Toleration("NoSchedule", "maroonedpods.io/dedicated", "Equal", null, "uid-1");

    /** A maroon pod's tolerations once the provisioner added its own: the defaults every pod gets, and ours. */
    private static List<Toleration> maroonPod() {
        List<Toleration> tolerations = new ArrayList<>(Tolerations.DEFAULT_NO_EXECUTE);
        tolerations.add(OWN);
        return tolerations;
    }

    static NodeBuilder node(String ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("maroon-x")
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey("maroonedpods.io/dedicated")
                .withValue("uid-1")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .endStatus();
    }

    @Test
    void aReadyNodeWhoseTaintsThePodToleratesAcceptsIt() {
        assertThat(NodeReadiness.acceptsPods(node("True").build(), maroonPod())).isTrue();
    }

    @Test
    void aNodeThatIsNotReadyYetDoesNot() {
        assertThat(NodeReadiness.acceptsPods(node("False").build(), maroonPod()))
                .isFalse();
        assertThat(NodeReadiness.acceptsPods(
                        new NodeBuilder()
                                .withNewSpec()
                                .endSpec()
                                .withNewStatus()
                                .endStatus()
                                .build(),
                        maroonPod()))
                .isFalse();
        assertThat(NodeReadiness.acceptsPods(null, maroonPod())).isFalse();
    }

    @Test
    void theKubeletsNotReadyNoScheduleTaintOrACordonKeepsPodsOut() {
        Node tainted = node("True")
                .editSpec()
                .addNewTaint()
                .withKey("node.kubernetes.io/not-ready")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build();
        Node cordoned =
                node("True").editSpec().withUnschedulable(true).endSpec().build();
        assertThat(NodeReadiness.acceptsPods(tainted, maroonPod())).isFalse();
        assertThat(NodeReadiness.acceptsPods(cordoned, maroonPod())).isFalse();
    }

    @Test
    void theNotReadyNoExecuteTaintLeftUntilTheLifecycleControllersNextPassDoesNotKeepOutAPodThatToleratesIt() {
        Node justReady = node("True")
                .editSpec()
                .addNewTaint()
                .withKey("node.kubernetes.io/not-ready")
                .withEffect("NoExecute")
                .endTaint()
                .endSpec()
                .build();
        assertThat(NodeReadiness.acceptsPods(justReady, maroonPod())).isTrue();
        assertThat(NodeReadiness.acceptsPods(justReady, List.of(OWN)))
                .as("a pod without the default tolerations")
                .isFalse();
    }

    @Test
    void aTaintThePodDoesNotTolerateKeepsItOut() {
        assertThat(NodeReadiness.acceptsPods(node("True").build(), Tolerations.DEFAULT_NO_EXECUTE))
                .isFalse();
    }
}
